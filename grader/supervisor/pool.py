"""The workers of a grading process: a spare kept started for the next exercise, and the zygote
that forks them."""

from __future__ import annotations

import atexit
import os

from grader.supervisor import kept_zygote
from grader.supervisor.environment import NO_ZYGOTE_VARIABLE
from grader.supervisor.process import Worker
from grader.supervisor.zygote_client import Zygote
from grader.workbook.limits import Limits


class WorkerPool:
    """Keeps one started worker in reserve so that the next exercise does not wait, and the zygote
    that forks them (started with the pool's first worker, kept until `shutdown`).

    `expect(warm_ups)` gives, in order, what each exercise still to come wants its
    worker to warm up: a spare is started only while one will be needed, so a
    single check does not pay for an idle worker competing for the cores.
    """

    def __init__(self, limits: Limits | None = None, use_zygote: bool | None = None) -> None:
        self._spare: Worker | None = None
        self._upcoming: list[tuple[str, ...]] | None = None
        self.limits = limits or Limits()
        self._use_zygote = (
            not os.environ.get(NO_ZYGOTE_VARIABLE) if use_zygote is None else use_zygote
        )
        self._zygote: Zygote | None = None
        self.keep_zygote = False  # `grader check`: the zygote kept between commands, if it can be
        self._kept = False

    def attach_zygote(self, zygote: Zygote) -> None:
        """Fork from a zygote shared with other grading processes (a batch's)."""
        self._zygote, self._use_zygote = zygote, True

    def _new_worker(self, warm_up: tuple[str, ...]) -> Worker:
        if self._use_zygote and self._zygote is None:
            kept = kept_zygote.connect() if self.keep_zygote else None
            self._zygote, self._kept = kept or Zygote(), kept is not None
        elif self._kept and self._zygote and (self._zygote.broken or self._zygote.hung_up()):
            self._zygote.close()  # the kept one died: one of our own for the rest of the command
            self._zygote, self._kept = Zygote(), False
        return Worker(warm_up, self.limits, self._zygote)

    def set_limits(self, limits: Limits) -> None:
        if limits != self.limits:
            self.limits = limits
            self.close()

    def prestart(self, warm_up: tuple[str, ...] = ()) -> None:
        if self._spare is None:
            self._spare = self._new_worker(warm_up)

    def expect(self, upcoming: list[tuple[str, ...]]) -> None:
        self._upcoming = list(upcoming)
        if not upcoming and self._spare is not None:
            self._spare.close()
            self._spare = None

    def take(self, warm_up: tuple[str, ...] = ()) -> Worker:
        """A started worker; the next spare starts at once if another exercise will need one."""
        spare = self._spare
        if spare is not None and spare.alive and spare.warm_up == warm_up:
            worker = spare
        else:
            worker = self._new_worker(warm_up)
            if spare is not None:
                spare.close()
        self._spare = None
        if self._upcoming:
            self._upcoming.pop(0)
        # The spare's fork and lock-down overlap the checks of this exercise, which otherwise
        # wait for the kernel (docs/performance.md, "Measured speed").
        if self._upcoming is None:
            self._spare = self._new_worker(warm_up)
        elif self._upcoming:
            self._spare = self._new_worker(self._upcoming[0])
        return worker

    def close(self) -> None:
        """Close the spare worker; the zygote stays for the next run in this process."""
        if self._spare is not None:
            self._spare.close()
            self._spare = None

    def shutdown(self) -> None:
        self.close()
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None


_shared: WorkerPool | None = None


def shared_pool() -> WorkerPool:
    """The process's pool: the CLI prestarts a worker in it before pytest even starts."""
    global _shared
    if _shared is None:
        _shared = WorkerPool()
        atexit.register(_shared.shutdown)
    return _shared

"""Ctrl-C during `grader grade`: stop at once, end every process the batch started, and keep what
was finished. The grading processes ignore SIGINT (a check interrupted half-way must never be
recorded as a grade); the batch's process catches it, cancels the queued work and kills them."""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import signal

from grader.workbook.results import BatchRecord

EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for a command ended by Ctrl-C


class BatchInterrupted(Exception):
    """Raised by grade_batch on Ctrl-C: `records` are the results finished (on disk too)."""

    def __init__(self, records: dict[str, BatchRecord], total: int) -> None:
        super().__init__(f"{len(records)} of {total} graded")
        self.records, self.total = records, total

    @property
    def message(self) -> str:
        return f"{len(self.records)} of {self.total} graded; run again with --resume"


def end_pool(pool: concurrent.futures.ProcessPoolExecutor, zygote: object | None) -> None:
    """Cancel what is queued and kill the grading processes and the zygote now. Their workers die
    with them (each worker is killed when its parent dies, by PR_SET_PDEATHSIG)."""
    # a second Ctrl-C while we clean up must not leave the cleanup half done
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                os.kill(process.pid, signal.SIGKILL)
        if zygote is not None:
            zygote.close()  # kills the zygote's process group and waits for it
        for process in processes:
            with contextlib.suppress(OSError, ValueError, AssertionError):
                process.join(timeout=1.0)
    finally:
        signal.signal(signal.SIGINT, previous)

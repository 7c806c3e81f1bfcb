"""The pytest side of the worker: start it, send requests, enforce time limits.

This module does not import torch at import time (grader.protocol does), so the
CLI can start a worker first and import torch while the worker imports its own.

Replies travel over a private pipe pair, not stdout, so nothing the student
prints can be mistaken for an answer; the worker's stdout and stderr go to a
scratch file whose tail is shown when something goes wrong.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

OUTPUT_TAIL = 1500


class WorkerDied(RuntimeError):
    """The worker process ended without answering."""


class WorkerTimeout(RuntimeError):
    """The worker did not answer within the time limit; it has been killed."""


def _worker_env() -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONHASHSEED="0",
               PYTHONDONTWRITEBYTECODE="1")
    return env


class Worker:
    """One worker process. Start it early: it spends most of its start importing torch."""

    def __init__(self, warm_up: tuple[str, ...] = ()) -> None:
        self.warm_up = warm_up
        self._scratch = tempfile.TemporaryDirectory(prefix="grader-worker-")
        self.output_path = Path(self._scratch.name) / "output.txt"
        to_worker_r, self._to_worker = os.pipe()
        self._from_worker, from_worker_w = os.pipe()
        with open(self.output_path, "wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-m", "grader.worker", str(to_worker_r), str(from_worker_w)]
                + list(warm_up),
                stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                pass_fds=(to_worker_r, from_worker_w), cwd=self._scratch.name,
                env=_worker_env(), start_new_session=True,
            )
        os.close(to_worker_r)
        os.close(from_worker_w)
        self._ready = False
        self.scratch_dir = Path(self._scratch.name)

    # -- life cycle ---------------------------------------------------------------------------

    def wait_ready(self, timeout: float = 120.0) -> None:
        if not self._ready:
            reply = self._receive(timeout)
            if reply != {"ready": True}:
                raise WorkerDied("the worker did not start properly")
            self._ready = True

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """Kill the worker and every process it started in its session."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()

    def close(self) -> None:
        """Kill at once: the worker holds nothing worth a clean exit, which costs torch ~1 s."""
        self.kill()
        for fd in (self._to_worker, self._from_worker):
            try:
                os.close(fd)
            except OSError:
                pass
        self._scratch.cleanup()

    # -- requests -----------------------------------------------------------------------------

    def request(self, message: dict, timeout: float) -> dict:
        """Send one request and wait at most `timeout` seconds for its reply."""
        self.wait_ready()
        self._output_mark = self.output_path.stat().st_size
        try:
            self._send(message)
        except BrokenPipeError as exc:
            raise WorkerDied(self._death_note()) from exc
        return self._receive(timeout)

    def recent_output(self) -> str:
        """What the student's code printed during the last request (its tail)."""
        try:
            with open(self.output_path, "rb") as file:
                file.seek(getattr(self, "_output_mark", 0))
                data = file.read()
        except OSError:
            return ""
        text = data.decode("utf-8", "replace")
        return text if len(text) <= OUTPUT_TAIL else "[...]" + text[-OUTPUT_TAIL:]

    def _send(self, message: dict) -> None:
        from grader import protocol

        data = protocol.dumps_frame(message)
        view = memoryview(data)
        while view:
            view = view[os.write(self._to_worker, view):]

    def _receive(self, timeout: float) -> Any:
        from grader import protocol

        deadline = time.monotonic() + timeout
        header = self._read_exact(8, deadline)
        length = protocol.frame_length(header)
        return protocol.loads_frame_body(self._read_exact(length, deadline))

    def _read_exact(self, size: int, deadline: float) -> bytes:
        chunks = []
        while size:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_worker], [], [], max(remaining, 0))
            if not ready:
                self.kill()
                raise WorkerTimeout("no answer within the time limit")
            chunk = os.read(self._from_worker, min(size, 1 << 20))
            if not chunk:
                self.process.wait()
                raise WorkerDied(self._death_note())
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _death_note(self) -> str:
        code = self.process.poll()
        if code is None:
            return "the worker stopped answering"
        if code < 0:
            name = signal.Signals(-code).name
            hint = " (a crash inside the interpreter, for example very deep recursion)" \
                if name in ("SIGSEGV", "SIGABRT", "SIGBUS") else ""
            return f"the process running your code was killed by {name}{hint}"
        return f"the process running your code exited with code {code} (did your code call exit()?)"


class WorkerPool:
    """Keeps one started worker in reserve so that the next exercise does not wait for torch.

    `expect(warm_ups)` gives, in order, what each exercise still to come wants its
    worker to warm up: a spare is started only while one will be needed, so a
    single check does not pay for an idle worker competing for the cores.
    """

    def __init__(self) -> None:
        self._spare: Worker | None = None
        self._upcoming: list[tuple[str, ...]] | None = None

    def prestart(self, warm_up: tuple[str, ...] = ()) -> None:
        if self._spare is None:
            self._spare = Worker(warm_up)

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
            worker = Worker(warm_up)
            if spare is not None:
                spare.close()
        self._spare = None
        if self._upcoming:
            self._upcoming.pop(0)
        if self._upcoming is None:
            self._spare = Worker(warm_up)
        elif self._upcoming:
            self._spare = Worker(self._upcoming[0])
        return worker

    def close(self) -> None:
        if self._spare is not None:
            self._spare.close()
            self._spare = None


_shared: WorkerPool | None = None


def shared_pool() -> WorkerPool:
    """The process's pool: the CLI prestarts a worker in it before pytest even starts."""
    global _shared
    if _shared is None:
        _shared = WorkerPool()
    return _shared



"""The one interface checks use to reach student code: a `Submission` whose calls run in the worker.

    result = submission.convolve2d(image, kernel, padding=1)     # runs in the worker
    call = submission.call("convolve2d", image, kernel, return_args=True)
    facts = submission.probe("train_step_events", seed=3)       # a trusted probe, in the worker

What a call can raise is a `SubmissionProblem`, and its class decides the status
of the check: `NotAttempted`, `StudentError`, `CheckTimeout` or `WorkerCrashed`.
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader import protocol
from grader.catalog import Exercise
from grader.layout import find_exercise_file
from grader.paths import PROBES_DIR
from grader.results import Status
from grader.worker_client import Worker, WorkerDied, WorkerPool, WorkerTimeout

# The worker's folder has a random name; messages name it alike every run, so grades never differ.
_SCRATCH = re.compile(re.escape(tempfile.gettempdir()) + r"/grader-worker-[A-Za-z0-9_]+")

# The worker's error kinds that mean a limit was hit (grader.worker_server), and how to name each.
_LIMIT_NAMES = {"memory": "memory limit", "file_size": "file size limit", "open_files": "limit on open files",
                "disk": "disk limit"}


class SubmissionProblem(Exception):
    """Student code could not give an answer. `status` is the check's status."""

    status = Status.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAttempted(SubmissionProblem):
    status = Status.NOT_ATTEMPTED


class StudentError(SubmissionProblem):
    """An exception raised by student code; `type_names` is its class and base classes."""

    def __init__(self, message: str, type_names: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.type_names = type_names

    def is_a(self, type_name: str) -> bool:
        return type_name in self.type_names


class LoadError(StudentError):
    """The submission's file could not be imported (a syntax error, an exception at import)."""


class CheckTimeout(SubmissionProblem):
    status = Status.TIMEOUT


class WorkerCrashed(SubmissionProblem):
    pass


@dataclass(frozen=True)
class CallResult:
    value: Any
    args_after: tuple


class Submission:
    """One exercise of one submission, with a worker started on first use."""

    def __init__(self, exercise: Exercise, submission_dir: Path, pool: WorkerPool,
                 time_limit: float | None = None, deadline: float | None = None) -> None:
        self.exercise = exercise
        self.time_limit = time_limit or exercise.time_limit
        self.deadline = deadline  # time.monotonic() by which all of the submission's checks end
        self.submission_dir = submission_dir
        self.path = find_exercise_file(submission_dir, exercise)
        self._pool = pool
        self._worker: Worker | None = None
        self._load_problem: SubmissionProblem | None = None
        self.last_output = ""

    # -- what checks call ---------------------------------------------------------------------

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, *args, **kwargs).value

    def call(self, function: str, *args: Any, return_args: bool = False, seed: int = 0,
             **kwargs: Any) -> CallResult:
        """Call `function` of the submission in the worker; `args_after` shows in-place edits."""
        reply = self._request({"op": "call", "function": function, "return_args": return_args,
                               "args": protocol.encode(list(args)),
                               "kwargs": protocol.encode(kwargs), "seed": seed}, function)
        args_after = protocol.decode(reply["args_after"]) if return_args else ()
        return CallResult(protocol.decode(reply["value"]), tuple(args_after))

    def probe(self, probe: str, *args: Any, seed: int = 0, **kwargs: Any) -> Any:
        """Run the trusted probe `checks/probes/<exercise id>.py:<probe>` on the submission."""
        reply = self._request({"op": "probe", "probe": probe, "args": protocol.encode(list(args)),
                               "kwargs": protocol.encode(kwargs), "seed": seed}, probe)
        return protocol.decode(reply["value"])

    def put_files(self, name: str, files: dict[str, bytes]) -> str:
        """Files for student code to read ({relative path: bytes}); the path of their folder in
        the worker. The worker writes them itself, in a new folder named `name-XXXX`: the grader
        never writes where student code could have planted a link or a FIFO."""
        from grader import worker_files

        reply = self._request({"op": "files", "prefix": name, "files": worker_files.encode(files)},
                              f"writing the {name} files")
        folder = protocol.decode(reply["value"])
        if type(folder) is not str:
            raise StudentError(f"writing the {name} files gave no folder")
        return folder

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    # -- machinery ----------------------------------------------------------------------------

    def _budget_used_up(self) -> str:
        return f"the submission's time budget of {self._pool.limits.describe('submission_time')} is used up"

    def _budget_left(self) -> float:
        if self.deadline is None:
            return float("inf")
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise CheckTimeout(f"not run: {self._budget_used_up()}")
        return left

    def _request(self, message: dict, what: str) -> dict:
        worker = self._ensure_loaded()
        limit = min(self.time_limit, self._budget_left())
        try:
            reply = worker.request(message, timeout=limit)
        except WorkerTimeout:
            self._discard_worker()
            if limit < self.time_limit:
                raise CheckTimeout(f"{what} was stopped: {self._budget_used_up()}") from None
            raise CheckTimeout(f"{what} did not finish within the time limit of {limit:g} s "
                               "(an endless loop, or far too much work?)") from None
        except WorkerDied as exc:
            self.last_output = worker.recent_output()
            self._discard_worker()
            raise WorkerCrashed(f"{what}: {exc}{self._output_note()}") from None
        except protocol.ProtocolError as exc:
            self._discard_worker()
            raise StudentError(f"{what} returned something that cannot be checked: {exc}") from None
        self.last_output = worker.recent_output()
        if not reply.get("ok"):
            raise self._problem_from(reply, what)
        return reply

    def _ensure_loaded(self) -> Worker:
        if self._load_problem is not None:
            raise self._load_problem
        if self.path is None:
            self._load_problem = NotAttempted(
                f"{self.exercise.filename} was not found in the submission, so this exercise is "
                "not attempted")
            raise self._load_problem
        if self._worker is not None and self._worker.alive:
            return self._worker
        self._worker = self._pool.take(self.exercise.warm_up)
        probes = PROBES_DIR / f"{self.exercise.id}.py"
        try:
            load = self._worker.load_request(self.path, self.exercise.id,
                                             str(probes) if probes.exists() else None)
            reply = self._worker.request(load, timeout=min(self.time_limit + 60,
                                                           self._budget_left()))
        except (WorkerTimeout, WorkerDied, protocol.ProtocolError, OSError) as exc:
            output = self._worker.recent_output()
            self._discard_worker()
            note = f"\nYour code printed:\n{output.strip()}" if output.strip() else ""
            self._load_problem = LoadError(f"loading {self.exercise.filename} failed: {exc}{note}")
            raise self._load_problem from None
        if not reply.get("ok"):
            self._load_problem = self._problem_from(reply, f"loading {self.exercise.filename}")
            self._discard_worker()
            raise self._load_problem
        return self._worker

    def _discard_worker(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def _output_note(self) -> str:
        out = _SCRATCH.sub("<your folder>", self.last_output.strip())
        return f"\nYour code printed:\n{out}" if out else ""

    def _problem_from(self, reply: dict, what: str) -> SubmissionProblem:
        kind = reply.get("kind")
        message = _SCRATCH.sub("<your folder>", str(reply.get("message", "")))
        trace = _SCRATCH.sub("<your folder>", str(reply.get("traceback", "")))
        if kind in _LIMIT_NAMES:
            return StudentError(f"the {_LIMIT_NAMES[kind]} of {self._pool.limits.describe(kind)} was exceeded "
                                f"in {what} ({reply.get('type')}: {message[:200]})" + self._output_note(),
                                tuple(reply.get("mro") or ()))
        if kind == "sandbox":
            return WorkerCrashed(message)
        if kind == "not_attempted":
            function = reply.get("function") or what
            return NotAttempted(f"{function} still raises NotImplementedError: not attempted yet")
        if kind == "missing":
            return StudentError(f"{what}: {message}; the spec asks for it "
                                f"(see the stub in exercises/{self.exercise.filename})",
                                ("AttributeError",))
        if kind == "load_error":
            line = reply.get("line")
            where = f"{self.exercise.filename}, line {line}" if line else self.exercise.filename
            return LoadError(f"{reply.get('type')} in {where}: {message}\n{trace}".rstrip(),
                             tuple(reply.get("mro") or ()))
        return StudentError(f"{what} raised {reply.get('type')}: {message}\n{trace}".rstrip()
                            + self._output_note(), tuple(reply.get("mro") or ()))

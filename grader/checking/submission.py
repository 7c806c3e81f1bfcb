"""The one interface checks use to reach student code: a `Submission` whose calls run in the worker.

    result = submission.convolve2d(image, kernel, padding=1)     # runs in the worker
    call = submission.call("convolve2d", image, kernel, return_args=True)
    facts = submission.drive("run_train_step", state, images)    # a trusted driver, in the worker
A call raises a `SubmissionProblem`, whose class decides the check's status: `NotAttempted`,
`StudentError`, `CheckTimeout` or `WorkerCrashed`."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.checking.problems import (
    SCRATCH,
    AnswerTooLarge,
    CheckTimeout,
    LoadError,
    NotAttempted,
    StudentError,
    SubmissionProblem,
    WorkerCrashed,
    describe_ending,
    plain_arguments,
    problem_from_reply,
)
from grader.supervisor.pool import WorkerPool
from grader.supervisor.process import Worker, WorkerCpuLimit, WorkerDied, WorkerTimeout
from grader.wire import protocol, reply_limits
from grader.wire.frames import Op
from grader.workbook.catalog import Exercise, exercise_by_id
from grader.workbook.exercise_folder import DRIVER, part
from grader.workbook.files import find_exercise_file, load_grader_file


@functools.cache
def load_driver(exercise_id: str) -> ModuleType | None:
    """An exercise's driver loaded in this process, once (for the inputs it builds, its names for
    messages, and the oracle's use); None when the exercise has none."""
    path = part(exercise_by_id(exercise_id), DRIVER)
    return load_grader_file(f"driver_{exercise_id}", path) if path else None


@dataclass(frozen=True)
class CallResult:
    value: Any
    args_after: tuple


class Submission:
    """One exercise of one submission, with a worker started on first use."""

    def __init__(
        self,
        exercise: Exercise,
        submission_dir: Path,
        pool: WorkerPool,
        time_limit: float | None = None,
        deadline: float | None = None,
        warm_up: tuple[str, ...] | None = None,
    ) -> None:
        self.exercise = exercise
        self.warm_up = exercise.warm_up if warm_up is None else warm_up  # see drawn_once
        self.time_limit = time_limit or exercise.time_limit
        self.deadline = deadline  # time.monotonic() by which all of the submission's checks end
        self.submission_dir = submission_dir
        self.path = find_exercise_file(submission_dir, exercise)
        self._pool = pool
        self._worker: Worker | None = None
        self._load_problem: SubmissionProblem | None = None
        self._loaded_at, self._cpu_at_load = 0.0, 0.0
        self._learner_names: dict[str, str] | None = None
        self._timed_out: dict[str, str] = {}  # what of the learner's timed out, and how
        self._arguments: tuple = ()  # the last call's plain arguments, for the error rules
        self.last_output = ""
        self._printed: list[str] = []  # what the learner's code printed since the last take

    # -- what checks call ---------------------------------------------------------------------

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, *args, **kwargs).value

    def call(
        self, function: str, *args: Any, return_args: bool = False, seed: int = 0, **kwargs: Any
    ) -> CallResult:
        """Call `function` of the submission in the worker; `args_after` shows in-place edits."""
        self._arguments = plain_arguments(args, kwargs)
        reply = self._request(
            {
                "op": Op.CALL,
                "function": function,
                "return_args": return_args,
                "args": protocol.encode(list(args)),
                "kwargs": protocol.encode(kwargs),
                "seed": seed,
            },
            function,
        )
        args_after = self._decode(reply, "args_after", function) if return_args else ()
        return CallResult(self._decode(reply, "value", function), tuple(args_after))

    def drive(
        self,
        driver: str,
        *args: Any,
        seed: int = 0,
        time_limit: float | None = None,
        cpu_limit: float | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run `checks/NN_<id>/driver.py:<driver>` on the submission, in the worker. What
        it returns is plain data for the checks to verify: a driver holds no expected value.
        `cpu_limit`: stopped once `usage()["cpu"]` passes it (work at import counts)."""
        self._arguments = plain_arguments(args, kwargs)
        reply = self._request(
            {
                "op": Op.DRIVE,
                "driver": driver,
                "args": protocol.encode(list(args)),
                "kwargs": protocol.encode(kwargs),
                "seed": seed,
            },
            self._learner_name(driver, args),
            time_limit,
            cpu_limit,
        )
        return self._decode(reply, "value", self._learner_name(driver, args))

    def _learner_name(self, driver: str, args: tuple) -> str:
        """What of the learner's a driver function calls (its module's LEARNER), for messages."""
        if self._learner_names is None:
            self._learner_names = dict(getattr(load_driver(self.exercise.id), "LEARNER", {}))
        name = self._learner_names.get(driver, driver)
        has_name = "{0}" in name and args and isinstance(args[0], str)
        return name.replace("{0}", args[0]) if has_name else name

    def _decode(self, reply: dict, key: str, what: str) -> Any:
        """A value of the reply, rebuilt as plain data; what cannot be is a failed answer."""
        try:
            value = protocol.decode(reply.get(key))
            if key == "args_after" and type(value) is not list:
                raise protocol.ProtocolError("malformed arguments")
            return value
        except protocol.ProtocolError as exc:
            self._discard_worker()
            raise StudentError(
                f"{what} returned something that cannot be checked: {reply_limits.cut(exc, 200)}"
            ) from None

    def put_files(self, name: str, files: dict[str, bytes]) -> str:
        """Files for student code to read ({relative path: bytes}); the path of their folder in
        the worker. The worker writes them itself, in a new folder named `name-XXXX`: the grader
        never writes where student code could have planted a link or a FIFO."""
        from grader.wire import files as worker_files

        reply = self._request(
            {"op": Op.FILES, "prefix": name, "files": worker_files.encode(files)},
            f"writing the {name} files",
        )
        folder = protocol.decode(reply["value"])
        if type(folder) is not str:
            raise StudentError(f"writing the {name} files gave no folder")
        return folder

    def take_printed(self) -> str:
        """What the learner's code printed since the last call (the check's own output)."""
        printed, self._printed = "".join(self._printed), []
        return SCRATCH.sub("<your folder>", printed)

    def usage(self) -> dict[str, float]:
        """Wall and CPU seconds since the file began to load (import-time work counts), measured
        outside the worker; zeros when it has not loaded."""
        if self._worker is None:
            return {"wall": 0.0, "cpu": 0.0}
        cpu = self._worker.cpu_seconds() - self._cpu_at_load
        return {"wall": time.monotonic() - self._loaded_at, "cpu": cpu}

    def close(self) -> None:
        self._discard_worker()

    # -- machinery ----------------------------------------------------------------------------

    def _budget_used_up(self) -> str:
        budget = self._pool.limits.describe("submission_time")
        return f"the submission's time budget of {budget} is used up"

    def _budget_left(self) -> float:
        if self.deadline is None:
            return float("inf")
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise CheckTimeout(f"not run: {self._budget_used_up()}")
        return left

    def _request(
        self, message: dict, what: str, time_limit: float | None = None, cpu: float | None = None
    ) -> dict:
        if what in self._timed_out:  # an endless loop is waited for once, not once per check
            raise CheckTimeout(self._timed_out[what])
        worker = self._ensure_loaded()
        limit = min(time_limit or self.time_limit, self._budget_left())
        try:
            cpu_limit = None if cpu is None else self._cpu_at_load + cpu
            reply = worker.request(message, timeout=limit, cpu_limit=cpu_limit)
        except WorkerCpuLimit:
            self._discard_worker()
            raise CheckTimeout(
                f"{what} was stopped after {cpu:g} s of CPU time from loading your file, the most "
                "allowed (an endless loop, or far too much work?)"
            ) from None
        except WorkerTimeout:
            self._discard_worker()
            if limit < (time_limit or self.time_limit):
                raise CheckTimeout(f"{what} was stopped: {self._budget_used_up()}") from None
            self._timed_out[what] = (
                f"{what} did not finish within the time limit of {limit:g} s (an endless loop, "
                "or far too much work?)"
            )
            raise CheckTimeout(self._timed_out[what]) from None
        except WorkerDied as exc:
            self.last_output = worker.recent_output()
            self._printed.append(self.last_output)
            self._discard_worker()
            ending = f"{what}: {describe_ending(exc.ending, self._pool.limits)}"
            raise WorkerCrashed(ending + self._output_note(), hidden=ending) from None
        except reply_limits.AnswerTooLarge as exc:
            self._discard_worker()
            raise AnswerTooLarge(f"{what}: your answer was too large to check: {exc}") from None
        except protocol.ProtocolError as exc:
            self._discard_worker()
            raise StudentError(
                f"{what} returned something that cannot be checked: {reply_limits.cut(exc, 200)}"
            ) from None
        self.last_output = worker.recent_output()
        self._printed.append(self.last_output)
        if type(reply) is not dict:  # valid JSON, but not a reply
            self._discard_worker()
            raise StudentError(
                f"{what} returned something that cannot be checked: a malformed reply"
            ) from None
        if not reply.get("ok"):
            raise self._problem_from(reply, what)
        return reply

    def _ensure_loaded(self) -> Worker:
        if self._load_problem is not None:
            raise self._load_problem
        if self.path is None:
            self._load_problem = NotAttempted(
                f"{self.exercise.filename} was not found in the submission, so this exercise is "
                "not attempted"
            )
            raise self._load_problem
        if self._worker is not None and self._worker.alive:
            return self._worker
        self._worker = self._pool.take(self.warm_up)
        driver = part(self.exercise, DRIVER)
        try:
            self._worker.wait_ready()
            cpu = self._worker.cpu_seconds(descendants=False)  # nothing of the student's yet
            self._cpu_at_load, self._loaded_at = cpu, time.monotonic()
            load = self._worker.load_request(
                self.path, self.exercise.id, str(driver) if driver else None
            )
            reply = self._worker.request(
                load, timeout=min(self.time_limit + 60, self._budget_left())
            )
            self._printed.append(self._worker.recent_output())  # printed at import
        except (WorkerTimeout, WorkerDied, protocol.ProtocolError, OSError) as exc:
            output = self._worker.recent_output()
            self._discard_worker()
            if isinstance(exc, WorkerDied):
                exc = describe_ending(exc.ending, self._pool.limits)
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
        out = SCRATCH.sub("<your folder>", self.last_output.strip())
        return f"\nYour code printed:\n{out}" if out else ""

    def _problem_from(self, reply: dict, what: str) -> SubmissionProblem:
        limits, note = self._pool.limits, self._output_note()
        return problem_from_reply(reply, what, self.exercise, limits, note, self._arguments)

"""Problems: what a worker reported (an error reply, how it ended) turned into a learner's words,
and the exception class that decides the check's status."""

from __future__ import annotations

import re
import signal
import tempfile

from grader.checking.translate import translate
from grader.wire import reply_limits
from grader.wire.control import Ending
from grader.wire.frames import ErrorKind
from grader.workbook.catalog import Exercise
from grader.workbook.limits import Limits
from grader.workbook.results import Status

# The worker's folder has a random name; messages name it alike every run, so grades never differ.
SCRATCH = re.compile(re.escape(tempfile.gettempdir()) + r"/grader-worker-[A-Za-z0-9_]+")

# The worker's error kinds that mean a limit was hit (grader.worker.server), and how to name each.
_LIMIT_NAMES = {
    ErrorKind.MEMORY: "memory limit",
    ErrorKind.FILE_SIZE: "file size limit",
    ErrorKind.OPEN_FILES: "limit on open files",
    ErrorKind.DISK: "disk limit",
}


class SubmissionProblem(Exception):
    """Student code could not give an answer. `status` is the check's status."""

    status = Status.ERROR
    mistake = ""  # a likely mistake the check named (checking.explain_errors)

    def __init__(self, message: str, hidden: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # what a hidden check of a graded run shows: no text of the student's code (an exception
        # message or printed output could carry the secret inputs out)
        self.hidden_message = message if hidden is None else hidden


class NotAttempted(SubmissionProblem):
    status = Status.NOT_ATTEMPTED


class StudentError(SubmissionProblem):
    """An exception raised by student code; `type_names` is its class and base classes."""

    def __init__(
        self, message: str, type_names: tuple[str, ...] = (), hidden: str | None = None
    ) -> None:
        super().__init__(message, hidden)
        self.type_names = type_names

    def is_a(self, type_name: str) -> bool:
        return type_name in self.type_names


class LoadError(StudentError):
    """The submission's file could not be imported (a syntax error, an exception at import)."""


class CheckTimeout(SubmissionProblem):
    status = Status.TIMEOUT


class WorkerCrashed(SubmissionProblem):
    pass


class AnswerTooLarge(SubmissionProblem):
    """The reply was over the grading process's limits (`wire.reply_limits`): a failed answer."""

    status = Status.FAILED


def describe_ending(ending: Ending, limits: Limits) -> str:
    """How a worker ended, in a learner's words, from its parent's report."""
    if ending.start_failed:
        return "the worker did not start properly"
    killed_by, code, cpu = ending.signal, ending.exit, ending.cpu
    if killed_by == signal.SIGXCPU or (
        isinstance(cpu, (int, float)) and cpu >= limits.cpu and killed_by == signal.SIGKILL
    ):
        return f"the CPU time limit of {limits.describe('cpu')} was exceeded"
    if killed_by == signal.SIGXFSZ:
        return f"a file grew past the file size limit of {limits.describe('file_size')}"
    if ending.oom_kill and killed_by in (signal.SIGKILL, None) and code is None:
        return (
            f"the memory limit of {limits.describe('memory')} was exceeded "
            "(the kernel stopped the process running your code)"
        )
    if type(killed_by) is int and 0 < killed_by < signal.NSIG:
        name = signal.Signals(killed_by).name
        hint = (
            " (a crash inside the interpreter, for example very deep recursion)"
            if name in ("SIGSEGV", "SIGABRT", "SIGBUS")
            else ""
        )
        return f"the process running your code was killed by {name}{hint}"
    if type(code) is int:
        return f"the process running your code exited with code {code} (did your code call exit()?)"
    return "the process running your code stopped answering"


def problem_from_reply(
    reply: dict,
    what: str,
    exercise: Exercise,
    limits: Limits,
    output_note: str,
    arguments: tuple[tuple[str, object], ...] = (),
) -> SubmissionProblem:
    """The problem an error reply of the worker stands for; `arguments` are the failing call's,
    as the grader passed them (plain values, for the error rules' facts)."""
    kind = ErrorKind.of(reply)
    # Cut here, at the trusted edge: the worker's own cut is only an optimisation.
    message = SCRATCH.sub("<your folder>", reply_limits.cut(reply.get("message", "")))
    trace = reply_limits.cut(reply.get("traceback", ""), reply_limits.TRACEBACK_LIMIT)
    trace = SCRATCH.sub("<your folder>", trace)
    mro = reply.get("mro")
    reply = {
        **reply,
        "type": reply_limits.cut(reply.get("type"), 200),
        "function": reply_limits.cut(reply.get("function") or "", 200) or None,
        "mro": [reply_limits.cut(m, 200) for m in mro if type(m) is str]
        if type(mro) is list
        else [],
    }
    if kind in _LIMIT_NAMES:
        limit = f"the {_LIMIT_NAMES[kind]} of {limits.describe(kind)} was exceeded in {what}"
        return StudentError(
            f"{limit} ({reply.get('type')}: {message[:200]})" + output_note,
            tuple(reply.get("mro") or ()),
            hidden=limit,
        )
    if kind == ErrorKind.SANDBOX:
        return WorkerCrashed(message)
    if kind == ErrorKind.NOT_ATTEMPTED:
        return NotAttempted(f"{_stub_name(reply.get('function') or what)}: not attempted yet")
    if kind == ErrorKind.MISSING:
        return StudentError(
            f"{what}: {message}; the spec asks for it "
            f"(see the stub in exercises/{exercise.filename})",
            ("AttributeError",),
        )
    if kind == ErrorKind.LOAD_ERROR:
        line = reply.get("line") if type(reply.get("line")) is int else None
        where = f"{exercise.filename}, line {line}" if line else exercise.filename
        return LoadError(
            f"{reply.get('type')} in {where}: {message}\n{trace}".rstrip()
            + _meaning(reply, message, trace, exercise),
            tuple(reply.get("mro") or ()),
        )  # loading runs no call of the grader's: no arguments
    line, function = reply.get("line"), reply.get("function")
    where = f" at line {line} of your file" if type(line) is int else ""
    return StudentError(
        f"{what} raised {reply.get('type')}: {message}\n{trace}".rstrip()
        + _meaning(reply, message, trace, exercise, arguments)
        + output_note,
        tuple(reply.get("mro") or ()),
        hidden=f"{what} raised {reply.get('type')}{where}"
        + (f" (in {function})" if function else "")
        + ". Its message is not shown: this check's inputs are secret. `grader check` on your "
        "file shows it, with the public inputs.",
    )


def _meaning(
    reply: dict, message: str, trace: str, exercise: Exercise, arguments: tuple = ()
) -> str:
    """The error in a learner's words ("What this means: ..."), when a rule knows it."""
    text = translate(
        str(reply.get("type") or ""),
        message,
        trace,
        reply.get("function") or "",
        exercise.id,
        arguments,
    )
    return f"\n{text}" if text else ""


def plain_arguments(args: tuple, kwargs: dict) -> tuple[tuple[str, object], ...]:
    """A call's arguments that are plain values (numbers, bools, short strings, tuples of ints),
    positional ones named #0, #1, ...: the facts an error rule may rest on."""

    def plain(value: object) -> bool:
        if type(value) is tuple:
            return len(value) <= 8 and all(type(v) is int for v in value)
        return type(value) in (int, float, bool) or (type(value) is str and len(value) <= 40)

    named = [(f"#{i}", v) for i, v in enumerate(args)] + list(kwargs.items())
    return tuple((name, value) for name, value in named if plain(value))


def _stub_name(function: str) -> str:
    """Which stub still raises NotImplementedError: SimpleCNN.__init__ is "SimpleCNN's
    __init__", so a learner knows which class."""
    owner, _, method = function.rpartition(".")
    if owner and "<" not in owner:
        return f"{owner}'s {method} is still the stub (it raises NotImplementedError)"
    return f"{function} is still the stub (it raises NotImplementedError)"

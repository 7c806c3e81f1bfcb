"""The worker process's service: the only place where student code runs.

Started through `grader.worker` (which builds the cage first). It imports torch, says it is
ready, then serves requests one at a time:

- load:  import the exercise's driver, lock the process down (`grader.worker.lockdown.lock_down`),
         then import the submission file (a copy in the worker's scratch folder)
- call:  call one of the submission's functions with decoded arguments
- drive: run a function of the exercise's driver (`checks/NN_<id>/driver.py`) with the submission
         module (drivers hold no oracle and no expected value: oracle.py never enters the worker)

Further arguments name what to warm up first (see `_warm_up`).

Every reply is plain data (`grader.wire.protocol`). The worker never judges anything:
verdicts are made in the pytest process from the data it sends back.
"""

from __future__ import annotations

import errno
import os
import random
import sys
import traceback
from pathlib import Path
from typing import Any

import numpy as np
import torch

from grader import digits
from grader.wire import files as worker_files
from grader.wire import protocol
from grader.wire.frames import (
    HEADER_BYTES,
    ErrorKind,
    Op,
    error_reply,
    frame_length,
    loads_frame_body,
    write_frame,
)
from grader.workbook.files import load_file as _load_file
from grader.workbook.limits import Limits
from grader.worker import cage, lockdown

_state: dict[str, Any] = {
    "module": None,
    "path": None,
    "driver": None,
    "limits": Limits(),
    "report": cage.Report(),
    "locked": False,
    "run_as": None,
}


def _in_student_file(filename: str, student_path: str | None) -> bool:
    try:
        return bool(student_path) and os.path.samefile(filename, student_path)
    except OSError:  # "<frozen importlib._bootstrap>", "<string>", a deleted file
        return False


def _student_frames(exc: BaseException, student_path: str | None) -> str:
    """The traceback cut down to the student's own file, as a learner wants to read it."""
    mine = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if _in_student_file(f.filename, student_path)
    ]
    lines = []
    for frame in mine:
        lines.append(f'  File "{Path(frame.filename).name}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    lines.append("".join(traceback.format_exception_only(type(exc), exc)).strip())
    return "\n".join(lines)


def _student_code(exc: BaseException, student_path: str | None) -> tuple[Any, bool]:
    """The code object of the innermost frame in the student's file, and whether the exception
    was raised there (a stub's NotImplementedError) rather than deeper, in torch."""
    code, raised_there, tb = None, False, exc.__traceback__
    while tb is not None:
        raised_there = _in_student_file(tb.tb_frame.f_code.co_filename, student_path)
        code = tb.tb_frame.f_code if raised_there else code
        tb = tb.tb_next
    return code, raised_there


def _error_reply(exc: BaseException) -> dict:
    path = _state["path"]
    code, raised_there = _student_code(exc, path)
    # torch raises NotImplementedError too ("not implemented for 'Long'"): only a stub's is
    # "not attempted"
    stub = isinstance(exc, NotImplementedError) and raised_there
    kind = ErrorKind.NOT_ATTEMPTED if stub else ErrorKind.ERROR
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if _in_student_file(f.filename, path)
    ]
    where = frames[-1] if frames else None
    # the qualified name (SimpleCNN.__init__) says which class's method; Python 3.10 lacks it
    function = getattr(code, "co_qualname", where.name if where else None) if code else None
    try:
        message = str(exc)
    except BaseException:
        message = "<unprintable>"
    if (
        isinstance(exc, MemoryError)
        or "can't allocate memory" in message[:300]
        or (isinstance(exc, OSError) and exc.errno == errno.ENOMEM)
    ):  # the memory cgroup's
        kind = ErrorKind.MEMORY
    elif isinstance(exc, OSError) and exc.errno in (errno.EFBIG, errno.EMFILE):
        kind = ErrorKind.FILE_SIZE if exc.errno == errno.EFBIG else ErrorKind.OPEN_FILES
    elif isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        kind = ErrorKind.DISK  # the worker's tmpfs is full (worker.fsview)
    return error_reply(
        kind,
        message[:2000],
        type(exc).__name__,
        [k.__name__ for k in type(exc).__mro__],
        _student_frames(exc, path)[-4000:],
        where.lineno if where else None,
        function,
    )


def _load_error_reply(exc: BaseException, path: str) -> dict:
    reply = _error_reply(exc)
    reply["kind"] = ErrorKind.LOAD_ERROR
    if isinstance(exc, SyntaxError):
        reply["line"] = exc.lineno
        reply["message"] = exc.msg
        reply["traceback"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return reply


# Taken before any student code runs: a file that patches torch.is_grad_enabled (which
# torch.no_grad's exit reads back) must not leave every later call with autograd off.
_SET_GRAD_ENABLED = torch._C._set_grad_enabled


def _seed(seed: int) -> None:
    """Each call starts as a caller's code would: seeded, and with autograd recording."""
    _SET_GRAD_ENABLED(True)
    torch.default_generator.manual_seed(
        seed
    )  # torch.manual_seed also queues CUDA seeding, with a stack trace each time
    random.seed(seed)
    np.random.seed(seed % 2**32)


def handle(request: dict) -> dict:
    op = request.get("op")
    if op == Op.LOAD:
        path = request["path"]
        if request.get("driver"):
            _state["driver"] = _load_file("workbook_driver", request["driver"])
        _state["path"] = path
        if not _state["locked"]:
            try:
                lockdown.lock_down(
                    Path(request["scratch"]),
                    _state["limits"],
                    _state["report"],
                    run_as=_state["run_as"],
                )
            except Exception as exc:  # noqa: BLE001 - fail closed: no student code without the cage
                return error_reply(
                    ErrorKind.SANDBOX,
                    f"the grader could not lock its worker down ({exc}), "
                    "so your code was not run; this is a problem of the grading "
                    "machine",
                    type(exc).__name__,
                )
            _state["locked"], _state["scratch"] = True, request["scratch"]
        try:
            if "source" in request:  # the grader sends the file; the caged worker writes it
                worker_files.write_new_file(
                    Path(request["scratch"]), Path(path).name, request["source"]
                )
            _seed(0)
            _state["module"] = _load_file("submission_" + request["name"], path)
        except NotImplementedError as exc:
            reply = _error_reply(exc)
            return (
                reply if reply["kind"] == ErrorKind.NOT_ATTEMPTED else _load_error_reply(exc, path)
            )
        except BaseException as exc:  # noqa: BLE001 - whatever the file does at import is reported
            return _load_error_reply(exc, path)
        return {"ok": True}
    if op == Op.FILES:  # files for student code to read (check 06's MNIST files)
        if not _state["locked"]:
            return error_reply(ErrorKind.ERROR, "files before the lock-down", "ProtocolError")
        try:
            folder = worker_files.write_fresh(
                Path(_state["scratch"]), request["prefix"], request["files"]
            )
        except OSError as exc:
            return _error_reply(exc)
        return {"ok": True, "value": protocol.encode(folder)}
    if op in (Op.CALL, Op.DRIVE):
        args = protocol.decode(request.get("args", []))
        kwargs = protocol.decode(request.get("kwargs", {"$t": "dict", "items": []}))
        _seed(int(request.get("seed", 0)))
        try:
            if op == Op.CALL:
                function = getattr(_state["module"], request["function"], None)
                if function is None:
                    return error_reply(
                        ErrorKind.MISSING,
                        f"your file has no {request['function']!r}",
                        "AttributeError",
                        ["AttributeError"],
                    )
                value = function(*args, **kwargs)
            else:
                driver = getattr(_state["driver"], request["driver"])
                value = driver(_state["module"], *args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - reported back as the student's error
            return _error_reply(exc)
        reply = {"ok": True, "value": protocol.encode(value)}
        if request.get("return_args"):
            reply["args_after"] = protocol.encode(args)
        return reply
    return error_reply(ErrorKind.ERROR, f"unknown request {op!r}", "ProtocolError")


def _read_exact(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _warm_up(what: set[str]) -> None:
    """Pay first-use costs before saying ready, while the grading process is still starting too:
    an optimizer's first step imports about a second of torch machinery; torchvision its own."""
    if "torchvision" in what:
        import PIL.Image  # noqa: F401
        import torchvision.datasets  # noqa: F401
        import torchvision.transforms  # noqa: F401
    digits.keep(what)  # a worker started afresh: drawn before it is ready, not charged either
    if "optimizer" not in what:
        return
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.Flatten(), torch.nn.Linear(8, 2))
    for optimizer in (
        torch.optim.SGD(model.parameters(), lr=0.1),
        torch.optim.Adam(model.parameters()),
    ):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(
            model(torch.zeros(2, 1, 4, 4)), torch.tensor([0, 1])
        ).backward()
        optimizer.step()


def serve(
    in_fd: int, out_fd: int, *, limits: dict, report: cage.Report, warm_up: set[str] = frozenset()
) -> None:
    torch.set_num_threads(1)
    limits = dict(limits)
    _state["run_as"] = limits.pop("run_as", None) or None
    _state["limits"], _state["report"] = Limits(**limits), report
    _warm_up(warm_up)
    write_frame(out_fd, {"ready": True})
    while True:
        try:
            length = frame_length(_read_exact(in_fd, HEADER_BYTES))
            request = loads_frame_body(_read_exact(in_fd, length))
        except EOFError:
            return
        if request.get("op") == Op.EXIT:
            return
        try:
            reply = handle(request)
        except Exception as exc:  # noqa: BLE001 - the worker answers even when its own code fails
            reply = error_reply(
                ErrorKind.ERROR, f"the grader's worker failed: {exc}", type(exc).__name__
            )
        for stream in (sys.stdout, sys.stderr):  # what the code printed, out before the reply
            try:
                stream.flush()
            except BaseException:  # noqa: BLE001 - a stream the student's code replaced
                pass
        try:
            write_frame(out_fd, reply)
        except (TypeError, ValueError) as exc:
            write_frame(
                out_fd,
                error_reply(
                    ErrorKind.ERROR, f"the answer could not be sent back: {exc}", "ProtocolError"
                ),
            )

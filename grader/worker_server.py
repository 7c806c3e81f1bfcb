"""The worker process's service: the only place where student code runs.

Started through `grader.worker` (which builds the cage first). It imports torch, says it is
ready, then serves requests one at a time:

- load:  import the trusted probes, lock the process down (`grader.sandbox.lock_down`), then
         import the submission file (a copy in the worker's scratch folder)
- call:  call one of the submission's functions with decoded arguments
- probe: run a trusted probe function from `checks/probes/` with the submission module

Further arguments name what to warm up first (see `_warm_up`).

Every reply is plain data (`grader.protocol`). The worker never judges anything:
verdicts are made in the pytest process from the data it sends back.
"""

from __future__ import annotations

import errno
import os
import random
import traceback
from pathlib import Path
from typing import Any

import numpy as np
import torch

from grader import protocol, sandbox, worker_files
from grader.limits import Limits
from grader.modules import load_file as _load_file

_state: dict[str, Any] = {"module": None, "path": None, "probes": None, "limits": Limits(),
                          "report": sandbox.Report(), "locked": False, "run_as": None}


def _in_student_file(filename: str, student_path: str | None) -> bool:
    try:
        return bool(student_path) and os.path.samefile(filename, student_path)
    except OSError:  # "<frozen importlib._bootstrap>", "<string>", a deleted file
        return False


def _student_frames(exc: BaseException, student_path: str | None) -> str:
    """The traceback cut down to the student's own file, as a learner wants to read it."""
    mine = [f for f in traceback.extract_tb(exc.__traceback__) if _in_student_file(f.filename, student_path)]
    lines = []
    for frame in mine:
        lines.append(f'  File "{Path(frame.filename).name}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    lines.append("".join(traceback.format_exception_only(type(exc), exc)).strip())
    return "\n".join(lines)


def _error_reply(exc: BaseException) -> dict:
    path = _state["path"]
    kind = "not_attempted" if isinstance(exc, NotImplementedError) else "error"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _in_student_file(f.filename, path)]
    where = frames[-1] if frames else None
    try:
        message = str(exc)
    except BaseException:
        message = "<unprintable>"
    if isinstance(exc, MemoryError) or "can't allocate memory" in message[:300]:
        kind = "memory"
    elif isinstance(exc, OSError) and exc.errno in (errno.EFBIG, errno.EMFILE):
        kind = "file_size" if exc.errno == errno.EFBIG else "open_files"
    elif isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        kind = "disk"  # the worker's tmpfs is full (grader.fsview)
    return {"ok": False, "kind": kind, "type": type(exc).__name__,
            "mro": [k.__name__ for k in type(exc).__mro__],
            "message": message[:2000], "traceback": _student_frames(exc, path)[-4000:],
            "line": where.lineno if where else None, "function": where.name if where else None}


def _load_error_reply(exc: BaseException, path: str) -> dict:
    reply = _error_reply(exc)
    reply["kind"] = "load_error"
    if isinstance(exc, SyntaxError):
        reply["line"] = exc.lineno
        reply["message"] = exc.msg
        reply["traceback"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return reply


def _seed(seed: int) -> None:
    torch.default_generator.manual_seed(seed)  # torch.manual_seed also queues CUDA seeding, with a stack trace each time
    random.seed(seed)
    np.random.seed(seed % 2**32)


def handle(request: dict) -> dict:
    op = request.get("op")
    if op == "load":
        path = request["path"]
        if request.get("probes"):
            _state["probes"] = _load_file("workbook_probes", request["probes"])
        _state["path"] = path
        if not _state["locked"]:
            try:
                sandbox.lock_down(Path(request["scratch"]), _state["limits"], _state["report"],
                                  run_as=_state["run_as"])
            except Exception as exc:  # noqa: BLE001 - fail closed: no student code without the cage
                return {"ok": False, "kind": "sandbox", "type": type(exc).__name__, "mro": [],
                        "traceback": "", "line": None,
                        "message": f"the grader could not lock its worker down ({exc}), so your "
                                   "code was not run; this is a problem of the grading machine"}
            _state["locked"], _state["scratch"] = True, request["scratch"]
        try:
            if "source" in request:  # the grader sends the file; the caged worker writes it
                worker_files.write_new_file(Path(request["scratch"]), Path(path).name,
                                            request["source"])
            _seed(0)
            _state["module"] = _load_file("submission_" + request["name"], path)
        except NotImplementedError as exc:
            return _error_reply(exc)
        except BaseException as exc:  # noqa: BLE001 - whatever the file does at import is reported
            return _load_error_reply(exc, path)
        return {"ok": True}
    if op == "files":  # files for student code to read (check 06's MNIST files)
        if not _state["locked"]:
            return {"ok": False, "kind": "error", "type": "ProtocolError", "mro": [],
                    "traceback": "", "line": None, "message": "files before the lock-down"}
        try:
            folder = worker_files.write_fresh(Path(_state["scratch"]), request["prefix"],
                                              request["files"])
        except OSError as exc:
            return _error_reply(exc)
        return {"ok": True, "value": protocol.encode(folder)}
    if op in ("call", "probe"):
        args = protocol.decode(request.get("args", []))
        kwargs = protocol.decode(request.get("kwargs", {"$t": "dict", "items": []}))
        _seed(int(request.get("seed", 0)))
        try:
            if op == "call":
                function = getattr(_state["module"], request["function"], None)
                if function is None:
                    return {"ok": False, "kind": "missing", "type": "AttributeError",
                            "mro": ["AttributeError"], "traceback": "", "line": None,
                            "message": f"your file has no {request['function']!r}"}
                value = function(*args, **kwargs)
            else:
                probe = getattr(_state["probes"], request["probe"])
                value = probe(_state["module"], *args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - reported back as the student's error
            return _error_reply(exc)
        reply = {"ok": True, "value": protocol.encode(value)}
        if request.get("return_args"):
            reply["args_after"] = protocol.encode(args)
        return reply
    return {"ok": False, "kind": "error", "type": "ProtocolError", "mro": [], "traceback": "",
            "line": None, "message": f"unknown request {op!r}"}


def _read_exact(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _warm_up(what: set[str]) -> None:
    """Pay first-use costs before saying ready, while the grading process is still starting too:
    an optimizer's first step imports about a second of torch machinery; torchvision its own."""
    if "torchvision" in what:
        import PIL.Image  # noqa: F401
        import torchvision.datasets  # noqa: F401
        import torchvision.transforms  # noqa: F401
    if "optimizer" not in what:
        return
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.Flatten(), torch.nn.Linear(8, 2))
    for optimizer in (torch.optim.SGD(model.parameters(), lr=0.1), torch.optim.Adam(model.parameters())):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(torch.zeros(2, 1, 4, 4)), torch.tensor([0, 1])).backward()
        optimizer.step()


def serve(in_fd: int, out_fd: int, *, limits: dict, report: sandbox.Report,
          warm_up: set[str] = frozenset()) -> None:
    torch.set_num_threads(1)
    limits = dict(limits)
    _state["run_as"] = limits.pop("run_as", None) or None
    _state["limits"], _state["report"] = Limits(**limits), report
    _warm_up(warm_up)
    _write_all(out_fd, protocol.dumps_frame({"ready": True}))
    while True:
        try:
            length = protocol.frame_length(_read_exact(in_fd, 8))
            request = protocol.loads_frame_body(_read_exact(in_fd, length))
        except EOFError:
            return
        if request.get("op") == "exit":
            return
        try:
            reply = handle(request)
        except Exception as exc:  # noqa: BLE001 - the worker answers even when its own code fails
            reply = {"ok": False, "kind": "error", "type": type(exc).__name__, "mro": [],
                     "traceback": "", "line": None, "message": f"the grader's worker failed: {exc}"}
        try:
            frame = protocol.dumps_frame(reply)
        except (TypeError, ValueError) as exc:
            frame = protocol.dumps_frame({"ok": False, "kind": "error", "type": "ProtocolError",
                                          "mro": [], "traceback": "", "line": None,
                                          "message": f"the answer could not be sent back: {exc}"})
        _write_all(out_fd, frame)


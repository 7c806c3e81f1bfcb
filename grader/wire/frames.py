"""The wire format between the grading process and a worker, written once: a frame is an 8-byte
big-endian length, then UTF-8 JSON; a reply is `{"ok": true, ...}` or an error reply. Torch-free,
so both sides (and the grader before it imports torch) share it."""

from __future__ import annotations

import json
import os
import struct
from enum import StrEnum
from typing import Any

MAX_FRAME_BYTES = 256 * 1024 * 1024
HEADER_BYTES = 8


class Op(StrEnum):
    """What a request asks of a worker."""

    LOAD = "load"  # lock down, write the submission's file, import it
    FILES = "files"  # files for student code to read
    CALL = "call"  # call one of the submission's functions
    DRIVE = "drive"  # run an exercise's driver on the submission
    EXIT = "exit"


class ErrorKind(StrEnum):
    """How a request failed, as an error reply tells the grading process."""

    ERROR = "error"
    NOT_ATTEMPTED = "not_attempted"
    LOAD_ERROR = "load_error"
    MISSING = "missing"
    MEMORY = "memory"
    FILE_SIZE = "file_size"
    OPEN_FILES = "open_files"
    DISK = "disk"
    SANDBOX = "sandbox"

    @classmethod
    def of(cls, reply: dict) -> ErrorKind:
        """The kind a (hostile) reply names; ERROR for anything not a known kind."""
        try:
            return cls(reply.get("kind"))
        except ValueError:
            return cls.ERROR


class ProtocolError(ValueError):
    """Data from the worker is malformed or too large; treated as a failed answer."""


def error_reply(
    kind: ErrorKind,
    message: str,
    type_name: str = "",
    mro: list[str] | None = None,
    traceback: str = "",
    line: int | None = None,
    function: str | None = None,
) -> dict:
    """A reply saying the request failed; `kind` tells the grading process how."""
    return {
        "ok": False,
        "kind": kind,
        "type": type_name,
        "mro": list(mro or ()),
        "message": message,
        "traceback": traceback,
        "line": line,
        "function": function,
    }


def dumps_frame(message: Any) -> bytes:
    body = json.dumps(message, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return struct.pack(">Q", len(body)) + body


def loads_frame_body(body: bytes) -> Any:
    try:
        return json.loads(
            body.decode("utf-8"), parse_constant=lambda name: _reject(f"bare {name} in data")
        )
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ProtocolError(f"malformed message: {exc}") from exc


def _reject(reason: str):
    raise ProtocolError(reason)


def frame_length(header: bytes, limit: int = MAX_FRAME_BYTES) -> int:
    (length,) = struct.unpack(">Q", header)
    if length > limit:
        raise ProtocolError(f"the answer is {length} bytes, more than the limit of {limit}")
    return length


def write_frame(fd: int, message: Any) -> None:
    """Write one whole frame to a pipe (blocking)."""
    view = memoryview(dumps_frame(message))
    while view:
        view = view[os.write(fd, view) :]

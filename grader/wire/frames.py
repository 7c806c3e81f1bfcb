"""The wire format between the grading process and a worker, written once: a frame is an 8-byte
big-endian length, then UTF-8 JSON; a reply is `{"ok": true, ...}` or an error reply. Torch-free,
so both sides (and the grader before it imports torch) share it."""

from __future__ import annotations

import json
import os
import struct
from typing import Any

MAX_FRAME_BYTES = 256 * 1024 * 1024
HEADER_BYTES = 8


class ProtocolError(ValueError):
    """Data from the worker is malformed or too large; treated as a failed answer."""


def error_reply(
    kind: str,
    message: str,
    type_name: str = "",
    mro: list[str] | None = None,
    traceback: str = "",
    line: int | None = None,
    function: str | None = None,
) -> dict:
    """A reply saying the request failed; `kind` tells the grading process how (error,
    not_attempted, load_error, missing, memory, file_size, open_files, sandbox)."""
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

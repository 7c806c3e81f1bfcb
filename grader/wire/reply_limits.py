"""Bounds on what comes back from a worker, enforced in the grading process.

A reply frame is written by a process that ran student code, so it is hostile data: its size,
element count, nesting depth and number literals are checked on the raw bytes (cheap, at C
speed) before `json.loads` builds anything, so that no frame can take the grading process's
memory or time beyond a small bound. Text the student controls is cut here too, once, at the
trusted edge: the worker's own cuts are only an optimisation.

Measured over `grader selfcheck` (every reference and stub, 184 replies): the biggest honest
reply is 253 KB with 328 elements, nesting depth 17 and 16-digit numbers. The caps below leave
a wide margin above that.
"""

from __future__ import annotations

import json
import re
import struct
from typing import Any

from grader.wire.frames import ProtocolError

MAX_REPLY_BYTES = 16 * 1024 * 1024  # 66 times the biggest honest reply
MAX_ELEMENTS = 100_000  # JSON values in one reply
MAX_JSON_DEPTH = 100  # the protocol's 32 levels take at most two JSON levels each
MAX_NUMBER_CHARS = 400  # one number literal (Python refuses ints of over 4,300 digits)

MESSAGE_LIMIT = 2000  # a student's exception message, a note
TRACEBACK_LIMIT = 4000
CHECK_MESSAGE_LIMIT = 8000  # a whole check message: text, traceback and printed output

# A JSON string; possessive, so that hostile bytes cannot make the regex backtrack.
_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class AnswerTooLarge(ProtocolError):
    """A reply over one of the limits: a failed answer, not a fault of the grader."""


def _size(count: int) -> str:
    return f"{count / 1024**2:.1f} MB" if count >= 1024**2 else f"{count:,} bytes"


def reply_length(header: bytes) -> int:
    """The length a reply frame's header announces, refused before any of it is read if too big."""
    (length,) = struct.unpack(">Q", header)
    if length > MAX_REPLY_BYTES:
        raise AnswerTooLarge(
            f"it is {_size(length)}, more than the limit of {_size(MAX_REPLY_BYTES)}"
        )
    return length


def check_shape(body: bytes) -> None:
    """Count elements and nesting on the raw bytes, outside strings, before anything is built."""
    if len(body) > MAX_REPLY_BYTES:
        raise AnswerTooLarge(
            f"it is {_size(len(body))}, more than the limit of {_size(MAX_REPLY_BYTES)}"
        )
    if body.count(b'"') > 4 * MAX_ELEMENTS:  # strings (and quotes in them): bounds the sub below
        raise AnswerTooLarge(f"it holds more than {MAX_ELEMENTS:,} values")
    structure = _STRING.sub(b'""', body)
    # Every value is the first in its container or follows a comma: this bounds the count.
    elements = structure.count(b",") + structure.count(b"[") + structure.count(b"{") + 1
    if elements > MAX_ELEMENTS:
        raise AnswerTooLarge(f"it holds more than {MAX_ELEMENTS:,} values")
    brackets = structure.translate(None, _NOT_BRACKETS)  # at most 2 * MAX_ELEMENTS bytes here
    if len(brackets) > 2 * MAX_ELEMENTS:
        raise ProtocolError("malformed message: unbalanced brackets")
    depth = deepest = 0
    for byte in brackets:
        depth += 1 if byte in b"[{" else -1
        deepest = max(deepest, depth)
    if deepest > MAX_JSON_DEPTH:
        raise AnswerTooLarge(f"it is nested more than {MAX_JSON_DEPTH} levels deep")


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise AnswerTooLarge(f"it holds a number of {len(text):,} digits")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise AnswerTooLarge(f"it holds a number of {len(text):,} characters")
    return float(text)


def _constant(name: str) -> Any:
    raise ProtocolError(f"bare {name} in data")


def loads_reply(body: bytes) -> Any:
    """A reply frame's JSON, decoded within the limits above; ProtocolError if it is not."""
    check_shape(body)
    try:
        return json.loads(
            body.decode("utf-8"), parse_int=_int, parse_float=_float, parse_constant=_constant
        )
    except ProtocolError:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # JSONDecodeError too
        raise ProtocolError(f"malformed message: {str(exc)[:200]}") from exc


def cut(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text` at most `limit` characters long (plus a notice saying how much was cut)."""
    text = str(text)
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[cut: {len(text) - limit:,} more characters not shown]"

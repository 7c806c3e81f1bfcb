"""Plain data across the process boundary: a tagged JSON encoding, never pickle.

The worker encodes what student code returned; the pytest process decodes it.
Decoding builds only plain Python values, plain `torch.Tensor`s and numpy
arrays from raw bytes, so nothing the student controls (a tensor subclass, an
object whose `__eq__` always says yes) survives the trip. Anything else arrives
as an `Opaque` that records its type name and a short repr, which a check
reports as a wrong type.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from grader.wire.frames import ProtocolError

__all__ = ["Opaque", "ProtocolError", "decode", "encode"]

# One tensor or array (base64 makes it a third larger): honest answers are far smaller (the
# figures are in docs/security.md); replies as a whole are capped in `wire.reply_limits`.
MAX_VALUE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32
REPR_LIMIT = 200

_DTYPES = {
    str(d).removeprefix("torch."): d
    for d in (
        torch.float32,
        torch.float64,
        torch.float16,
        torch.bfloat16,
        torch.int64,
        torch.int32,
        torch.int16,
        torch.int8,
        torch.uint8,
        torch.bool,
    )
}
_NP_DTYPES = {"float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"}


@dataclass(frozen=True)
class Opaque:
    """Something that is not plain data: only its type name and a short repr come back."""

    type_name: str
    repr: str
    note: str = ""

    def __str__(self) -> str:
        return f"<{self.type_name}{': ' + self.note if self.note else ''}>"


def _safe_repr(value: Any) -> str:
    try:
        text = repr(value)
    except BaseException:  # a hostile __repr__ must not break encoding
        text = "<repr failed>"
    return text if len(text) <= REPR_LIMIT else text[:REPR_LIMIT] + "..."


def _type_name(value: Any) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "") or ""
    return kind.__qualname__ if module in ("builtins", "") else f"{module}.{kind.__qualname__}"


def encode(value: Any, _depth: int = 0) -> Any:
    """Turn a value into JSON-ready nodes. Unknown types become opaque descriptions."""
    if _depth > MAX_DEPTH:
        return {"$t": "object", "type": _type_name(value), "repr": "", "note": "nested too deeply"}
    kind = type(value)
    if kind is str and len(value) > MAX_VALUE_BYTES // 4:
        return {
            "$t": "object",
            "type": "str",
            "repr": value[:REPR_LIMIT],
            "note": "a string too long to send back",
        }
    if value is None or kind in (bool, str):
        return value
    if kind is int:
        return value
    if kind is float:
        return value if math.isfinite(value) else {"$t": "float", "v": repr(value)}
    if kind is list:
        return [encode(v, _depth + 1) for v in value]
    if kind is tuple or kind is torch.Size:  # a shape is a tuple of ints
        return {"$t": "tuple", "items": [encode(v, _depth + 1) for v in value]}
    if kind is dict:
        return {
            "$t": "dict",
            "items": [[encode(k, _depth + 1), encode(v, _depth + 1)] for k, v in value.items()],
        }
    if kind is torch.Tensor:
        return _encode_tensor(value)
    if isinstance(value, torch.Tensor):
        return {
            "$t": "object",
            "type": _type_name(value),
            "repr": "",
            "note": "a subclass of torch.Tensor, not a plain tensor",
        }
    if kind is np.ndarray and value.dtype.name in _NP_DTYPES:
        if (large := _too_large(value.nbytes, "numpy.ndarray")) is not None:
            return large
        array = np.ascontiguousarray(value)
        return {
            "$t": "ndarray",
            "dtype": array.dtype.name,
            "shape": list(array.shape),
            "data": base64.b64encode(array.tobytes()).decode("ascii"),
        }
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        return {"$t": "npscalar", "dtype": value.dtype.name, "value": encode(value.item())}
    return {"$t": "object", "type": _type_name(value), "repr": _safe_repr(value)}


def _too_large(size: int, type_name: str) -> dict | None:
    if size > MAX_VALUE_BYTES:
        return {
            "$t": "object",
            "type": type_name,
            "repr": "",
            "note": f"{size / 1024**2:.0f} MB, too large to send back (the limit is "
            f"{MAX_VALUE_BYTES // 1024**2} MB)",
        }
    return None


def _encode_tensor(tensor: torch.Tensor) -> Any:
    name = str(tensor.dtype).removeprefix("torch.")
    if (large := _too_large(tensor.numel() * tensor.element_size(), "torch.Tensor")) is not None:
        return large
    if name not in _DTYPES or tensor.layout != torch.strided or tensor.is_quantized:
        return {
            "$t": "object",
            "type": "torch.Tensor",
            "repr": "",
            "note": f"a {name} tensor with layout {tensor.layout}, which cannot be compared",
        }
    plain = tensor.detach().cpu().contiguous()
    raw = plain.view(torch.int16) if plain.dtype == torch.bfloat16 else plain
    data = raw.numpy().tobytes() if raw.numel() else b""
    return {
        "$t": "tensor",
        "dtype": name,
        "shape": list(plain.shape),
        "requires_grad": bool(tensor.requires_grad),
        "data": base64.b64encode(data).decode("ascii"),
    }


def decode(node: Any, _depth: int = 0) -> Any:
    """Rebuild plain values from nodes; raise ProtocolError on anything unexpected."""
    if _depth > MAX_DEPTH + 1:
        raise ProtocolError("data nested too deeply")
    if node is None or type(node) in (bool, str, int, float):
        return node
    if type(node) is list:
        return [decode(v, _depth + 1) for v in node]
    if type(node) is not dict:
        raise ProtocolError(f"unexpected node of type {type(node).__name__}")
    tag = node.get("$t")
    if tag == "tuple":
        return tuple(decode(v, _depth + 1) for v in _list(node, "items"))
    if tag == "dict":
        result = {}
        for pair in _list(node, "items"):
            if type(pair) is not list or len(pair) != 2:
                raise ProtocolError("malformed dict entry")
            key = decode(pair[0], _depth + 1)
            try:
                result[key] = decode(pair[1], _depth + 1)
            except TypeError as exc:  # an unhashable key such as a list
                raise ProtocolError(f"unusable dict key: {exc}") from exc
        return result
    if tag == "float":
        text = node.get("v")
        if text not in ("nan", "inf", "-inf"):
            raise ProtocolError("malformed float")
        return float(text)
    if tag == "tensor":
        return _decode_tensor(node)
    if tag == "ndarray":
        dtype = node.get("dtype")
        if dtype not in _NP_DTYPES:
            raise ProtocolError(f"unsupported array dtype {dtype!r}")
        shape = _shape(node)
        data = _b64(node)
        if len(data) != math.prod(shape) * np.dtype(dtype).itemsize:
            raise ProtocolError("array data does not match its shape")
        return np.frombuffer(data, dtype=dtype).reshape(shape).copy()
    if tag == "npscalar":
        dtype = node.get("dtype")
        if dtype not in _NP_DTYPES:
            raise ProtocolError(f"unsupported numpy scalar dtype {dtype!r}")
        value = decode(node.get("value"), _depth + 1)
        if type(value) not in (bool, int, float):  # anything else would build an array
            raise ProtocolError("malformed numpy scalar")
        try:
            return np.dtype(dtype).type(value)
        except (OverflowError, ValueError) as exc:
            raise ProtocolError(f"malformed numpy scalar: {exc}") from exc
    if tag == "object":
        return Opaque(
            str(node.get("type", "?"))[:REPR_LIMIT],
            str(node.get("repr", ""))[: REPR_LIMIT + 3],
            str(node.get("note", ""))[:REPR_LIMIT],
        )
    raise ProtocolError(f"unknown tag {tag!r}")


def _list(node: dict, key: str) -> list:
    value = node.get(key)
    if type(value) is not list:
        raise ProtocolError(f"malformed {node.get('$t')}")
    return value


def _shape(node: dict) -> list[int]:
    shape = node.get("shape")
    if (
        type(shape) is not list
        or not all(type(s) is int and 0 <= s for s in shape)
        or len(shape) > 16
    ):
        raise ProtocolError("malformed shape")
    if any(s > MAX_VALUE_BYTES for s in shape):  # even with a zero elsewhere: torch would overflow
        raise ProtocolError(f"a shape of {shape} is too large")
    return shape


def _b64(node: dict) -> bytes:
    data = node.get("data")
    if type(data) is not str:
        raise ProtocolError("malformed data")
    if len(data) > (MAX_VALUE_BYTES + 2) // 3 * 4:
        raise ProtocolError(
            f"a value of {len(data) // 4 * 3:,} bytes, more than the limit of "
            f"{MAX_VALUE_BYTES // 1024**2} MB"
        )
    try:
        return base64.b64decode(data, validate=True)
    except ValueError as exc:
        raise ProtocolError("malformed base64 data") from exc


def _decode_tensor(node: dict) -> torch.Tensor:
    dtype = _DTYPES.get(node.get("dtype"))
    if dtype is None:
        raise ProtocolError(f"unsupported tensor dtype {node.get('dtype')!r}")
    shape = _shape(node)
    data = _b64(node)
    storage_dtype = torch.int16 if dtype == torch.bfloat16 else dtype
    itemsize = torch.empty((), dtype=storage_dtype).element_size()
    if len(data) != math.prod(shape) * itemsize:
        raise ProtocolError("tensor data does not match its shape")
    if not data:
        return torch.empty(shape, dtype=dtype)
    tensor = torch.frombuffer(bytearray(data), dtype=storage_dtype).reshape(shape)
    return tensor.view(torch.bfloat16) if dtype == torch.bfloat16 else tensor

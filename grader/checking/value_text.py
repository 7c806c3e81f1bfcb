"""Plain values (decoded answers) compared and shown within bounds: exact equality with types
that never raises, and a short text of any value (a huge int, a long or deeply nested list)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def show(value: Any, limit: int = 60) -> str:
    """A value in at most `limit` characters: ints with thousands separators, containers cut."""
    text = _show(value, [limit * 2], 0)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class OverBudget(Exception):
    """The values compared so far used up `work`: the caller gives up on its explanation."""


def same(a: Any, e: Any, work: list[int] | None = None) -> bool:
    """Exact equality with types (True is not 1, 1.0 is not 1, a list is not a tuple); tensors
    by shape, dtype and values. Never raises, except `OverBudget` once the shared `work` (values
    looked at) is spent."""
    try:
        return _same(a, e, 0, work if work is not None else [1 << 62])
    except OverBudget:
        raise
    except Exception:  # noqa: BLE001
        return False


def _same(a: Any, e: Any, depth: int, work: list[int]) -> bool:
    work[0] -= 1
    if work[0] < 0:
        raise OverBudget
    if type(a) is not type(e) or depth > 40:
        return False
    if type(a) in (list, tuple):
        return len(a) == len(e) and all(_same(x, y, depth + 1, work) for x, y in zip(a, e))
    if type(a) is dict:
        return a.keys() == e.keys() and all(_same(a[k], e[k], depth + 1, work) for k in e)
    if type(a) is torch.Tensor:
        return a.shape == e.shape and a.dtype == e.dtype and bool(torch.equal(a, e))
    if type(a) is np.ndarray:
        return a.shape == e.shape and a.dtype == e.dtype and bool(np.array_equal(a, e))
    return bool(a == e)


def _show(value: Any, budget: list[int], depth: int) -> str:
    """`budget` is the characters left, shared by the whole walk so a long list stops early."""
    if budget[0] <= 0:
        return "..."
    kind = type(value)
    if kind is int:
        text = f"{value:,}" if value.bit_length() < 200 else f"an int of {value.bit_length()} bits"
    elif kind in (list, tuple) and depth < 6:
        items = []
        for item in value:
            if budget[0] <= 0:
                items.append("...")
                break
            items.append(_show(item, budget, depth + 1))
        inner = ", ".join(items) + ("," if kind is tuple and len(value) == 1 else "")
        text = f"[{inner}]" if kind is list else f"({inner})"
    elif kind is dict and depth < 6:
        pairs = []
        for key, item in value.items():
            if budget[0] <= 0:
                pairs.append("...")
                break
            pairs.append(f"{_show(key, budget, depth + 1)}: {_show(item, budget, depth + 1)}")
        text = "{" + ", ".join(pairs) + "}"
    elif kind is torch.Tensor and value.dim() == 0:
        text = f"a 0-d tensor ({value.item()!r})"
    elif kind is torch.Tensor:
        text = f"a tensor of shape {tuple(value.shape)}"
    elif kind is str:
        text = repr(value[:80]) + ("..." if len(value) > 80 else "")
    elif kind in (float, bool) or value is None:
        text = repr(value)
    else:
        text = f"a {kind.__name__}"
    budget[0] -= len(text)
    return text


def kind(value: Any) -> str:
    """What a value is, with a short text of it when it is a plain one."""
    if value is None:
        return "None"
    if type(value) in (int, float, bool, str):
        return f"the {type(value).__name__} {show(value, 40)}"
    if type(value) in (list, tuple, dict):
        return f"a {type(value).__name__} of length {len(value)}"
    if type(value) is torch.Tensor and value.dim() == 0:
        return f"a 0-d tensor of dtype {value.dtype} ({show(value.item(), 40)})"
    if type(value) is torch.Tensor:
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")


def ordinal(index: int) -> str:
    """The index-th in words: first ... ninth, then 10th, 11th, 21st."""
    if index < len(_ORDINALS):
        return _ORDINALS[index]
    n = index + 1  # 10th, 11th, 21st, 22nd, 103rd
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"

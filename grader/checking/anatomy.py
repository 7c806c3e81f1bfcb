"""What a wrong tensor IS, said only when its numbers prove it: the learner's tensor compared with
the expected one of the same shape (flipped, shifted, scaled, all NaN, softmax of it, ...), one
plain sentence or nothing. Every pattern is tested within the check's own tolerance; a pattern
that holds only nearly is never said. Shapes that differ: grader.checking.anatomy_shape."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import torch

from grader.checking import anatomy_shape
from grader.checking.anatomy_geometry import geometry
from grader.checking.anatomy_scale import affine, factor, offset
from grader.checking.anatomy_tools import (
    MAX_ELEMENTS,
    Finding,
    Tolerance,
    as_double,
    distinct,
    index_text,
    line,
    number,
    prefix,
)

__all__ = ["Finding", "explain", "explain_dtype", "MAX_ELEMENTS"]


def explain(
    actual: object,
    expected: torch.Tensor,
    *,
    rtol: float,
    atol: float,
    facts: Mapping[str, float] | None = None,
) -> Finding | None:
    """The proven difference between `actual` and `expected`, or None. Never raises; bounded work
    (nothing is said about tensors of more than MAX_ELEMENTS values)."""
    try:
        return _explain(actual, expected, Tolerance(rtol, atol), dict(facts or {}))
    except Exception:  # noqa: BLE001 - hostile values: an anatomy that cannot run says nothing
        return None


def explain_dtype(
    actual: object, expected: torch.Tensor, *, rtol: float, atol: float
) -> Finding | None:
    """For a tensor of the right shape and the wrong dtype: are its values right, or what are
    they (e.g. the expected ones truncated to integers)?"""
    try:
        if not _usable(actual, expected) or actual.shape != expected.shape:
            return None
        tol = Tolerance(rtol, atol)
        if tol.close(as_double(actual), as_double(expected)):
            return Finding("your values equal the expected ones; only the dtype differs.")
        return _explain(actual, expected, tol, {})
    except Exception:  # noqa: BLE001
        return None


def _usable(actual: object, expected: torch.Tensor) -> bool:
    return (
        type(actual) is torch.Tensor
        and type(expected) is torch.Tensor
        and not actual.is_complex()
        and not expected.is_complex()
        and 0 < actual.numel() <= MAX_ELEMENTS
        and 0 < expected.numel() <= MAX_ELEMENTS
        and not actual.is_sparse
        and actual.device.type == "cpu"
    )


def _explain(actual, expected, tol: Tolerance, facts: dict) -> Finding | None:
    if not _usable(actual, expected):
        return None
    a, e = as_double(actual), as_double(expected)
    if not torch.isfinite(e).all():
        return None  # an expected NaN or inf: no pattern is said against it
    if a.shape != e.shape:
        text = anatomy_shape.shape_difference(a, e, tol)  # quoting the shapes: not for hidden
        return Finding(text, carries_value="instead of" in text) if text else None
    if tol.close(a, e):
        return None
    for pattern in _PATTERNS:
        found = pattern(a, e, tol, facts, expected.is_floating_point())
        if found:
            return found
    return None


def _nonfinite(a, e, tol, facts, floating) -> Finding | None:
    for name, mask in (("NaN", torch.isnan(a)), ("inf", torch.isinf(a))):
        count = int(mask.sum())
        if count == a.numel():
            return Finding(f"all of your values are {name}.")
        if count:
            places = [index_text(int(i), tuple(a.shape)) for i in mask.flatten().nonzero()[:3]]
            more = f" and {count - 3} more" if count > 3 else ""
            return Finding(f"your tensor has {name} at {', '.join(places)}{more}.")
    return None


def _constant(a, e, tol, facts, floating) -> Finding | None:
    if not torch.isfinite(a).all():
        return None
    if bool((a == 0).all()):
        return Finding("all of your values are 0.")
    if a.numel() < 2 or distinct(e, tol) < 2:
        return None
    value = float(a.flatten()[0])
    if tol.close(a, torch.full_like(a, value)):
        return Finding(f"all of your values are {number(value)}.", carries_value=True)
    return None


def _sign(a, e, tol, facts, floating) -> Finding | None:
    if tol.close(a, -e):
        return Finding("your tensor equals the expected one with every sign flipped.")
    return None


def _clipped(a, e, tol, facts, floating) -> Finding | None:
    """ReLU or abs where the raw values belong: the negative values set to 0, or made positive."""
    if not bool((e < -tol.atol).any()):
        return None
    for words, function in (
        ("with its negative values set to 0 (a ReLU)", torch.relu),
        ("with every negative value made positive (abs)", torch.abs),
    ):
        if tol.close(prefix(a), function(prefix(e))) and tol.close(a, function(e)):
            return Finding(f"your tensor equals the expected one {words}.")
    return None


def _powers(a, e, tol, facts, floating) -> Finding | None:
    """Squared, or a square root, where the values themselves belong (a magnitude's sqrt left
    out): proven by two values whose square is not themselves (0 and 1 are their own squares)."""
    moved = e[(e.abs() - 1).abs() > tol.atol + tol.rtol] if floating else e[:0]
    if distinct(moved[moved.abs() > tol.atol].abs(), tol) < 2:
        return None
    if tol.close(prefix(a), prefix(e) ** 2) and tol.close(a, e**2):
        return Finding("your tensor equals the expected one squared (each value times itself).")
    if bool((e >= 0).all()) and tol.close(prefix(a), prefix(e).sqrt()) and tol.close(a, e.sqrt()):
        return Finding("your tensor equals the square root of the expected one.")
    return None


_ROUNDINGS: tuple[tuple[str, Callable[[torch.Tensor], torch.Tensor]], ...] = (
    ("rounded down (floor)", torch.floor),
    ("truncated toward zero (as int() or .long() does)", torch.trunc),
    ("rounded to the nearest whole number", torch.round),
    ("rounded up (ceil)", torch.ceil),
)


def _integers(a, e, tol, facts, floating) -> Finding | None:
    if not floating or not bool((prefix(a) == prefix(a).round()).all()):
        return None
    if not bool((a == a.round()).all()) or bool((e == e.round()).all()):
        return None
    ways = [words for words, cut in _ROUNDINGS if tol.close(a, cut(e))]
    if not ways:
        return Finding("all of your values are whole numbers; the expected ones are not.")
    if len(ways) == 1:
        return Finding(f"your tensor equals the expected values {ways[0]}.")
    return Finding(
        f"your tensor equals the expected values cut to whole numbers ({ways[0]}; on these "
        f"values, {ways[1].split(' (')[0]} gives the same)."
    )


def _softmax(a, e, tol, facts, floating) -> Finding | None:
    if not floating or a.dim() == 0:
        return None
    for dim in range(a.dim() - 1, -1, -1):
        if a.shape[dim] < 2:
            continue
        where = "" if dim == a.dim() - 1 else f" over dimension {dim}"
        first_a, first_e = line(a, dim), line(e, dim)
        for name, kind, function in (
            ("softmax", "probabilities", torch.softmax),
            ("log_softmax", "log-probabilities", torch.log_softmax),
        ):
            if tol.close(first_a, function(first_e, dim)) and tol.close(a, function(e, dim)):
                return Finding(
                    f"your tensor equals {name} of the expected one{where}: {kind} where raw "
                    "scores (logits) are expected."
                )
    return None


def _row_sums(a, e, tol, facts, floating) -> Finding | None:
    """Rows that sum to 1 (or whose exponentials do) where the expected rows do not."""
    if not floating or a.dim() == 0 or a.shape[-1] < 2:
        return None
    ones = torch.ones(a.shape[:-1], dtype=a.dtype)
    sums_to_one = Tolerance(tol.rtol, tol.atol * a.shape[-1]).close
    if bool((a >= 0).all()) and sums_to_one(a.sum(-1), ones) and not sums_to_one(e.sum(-1), ones):
        return Finding(
            "every row of your tensor sums to 1, like probabilities; the expected rows do not."
        )
    if bool((a <= 0).all()) and sums_to_one(a.exp().sum(-1), ones) and not bool((e <= 0).all()):
        return Finding(
            "your rows are log-probabilities (the exponentials of each row sum to 1); "
            "the expected ones are not."
        )
    return None


def _geometry(a, e, tol, facts, floating) -> Finding | None:
    text = geometry(a, e, tol)
    return Finding(text) if text else None


# in this order: the first that holds is said (a softmax is also an offset of a single row)
_PATTERNS = (
    _nonfinite,
    _constant,
    _sign,
    _softmax,
    factor,
    offset,
    affine,
    _clipped,
    _powers,
    _integers,
    _geometry,
    _row_sums,
)

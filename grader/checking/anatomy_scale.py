"""The anatomy's patterns of scale, for two tensors of one shape: the learner's values are the
expected ones times a factor (2, 1/2, a number the check names such as the batch size, or any
number), plus an offset, or both; each proven by enough distinct values that no other line fits."""

from __future__ import annotations

import math

import torch

from grader.checking.anatomy_tools import Finding, Tolerance, distinct, number, prefix

# A line is said when its factor and shift are of the size an input's scaling has (a missing or
# wrong Normalize, a transform not applied): 04's model outputs fit lines like 21.83x - 2216.
MIN_LINE, MAX_LINE = 0.01, 10.0


def factor(a, e, tol, facts, floating) -> Finding | None:
    if not (e.abs() > tol.atol).any():
        return None
    named = [(2.0, "twice the expected one"), (0.5, "half the expected one")]
    for name, value in facts.items():
        if isinstance(value, (int, float)) and value not in (0, 1, 2) and math.isfinite(value):
            named.append((1 / value, f"the expected one divided by the {name} ({number(value)})"))
            named.append((float(value), f"the expected one times the {name} ({number(value)})"))
    for value, words in named:
        if tol.close(a, value * e):
            return Finding(f"your tensor equals {words}.")
    if not _scaled(prefix(a), prefix(e), tol):
        return None  # screened on the first values: no full pass when they disagree
    nonzero = e[e.abs() > tol.atol]
    if distinct(nonzero.abs(), tol) < 2:
        return None  # one magnitude: a factor, an offset and a constant would all fit
    factor = float((a * e).sum() / (e * e).sum())
    if not math.isfinite(factor) or abs(factor - 1) < 1e-6 or not tol.close(a, factor * e):
        return None
    inverse = 1 / factor if factor else 0.0
    if abs(inverse) >= 2 and abs(inverse - round(inverse)) < 1e-4 * abs(inverse):
        words = f"the expected one divided by {round(inverse)}"
    else:
        words = f"the expected one times {number(factor)}"
    return Finding(f"your tensor equals {words}.", carries_value=True)


def _scaled(a: torch.Tensor, e: torch.Tensor, tol: Tolerance) -> bool:
    """`a` is some multiple of `e` (the least-squares one)."""
    square = float((e * e).sum())
    return square > 0 and tol.close(a, float((a * e).sum()) / square * e)


def offset(a, e, tol, facts, floating) -> Finding | None:
    first_a, first_e = prefix(a), prefix(e)
    if not tol.close(first_a, first_e + float((first_a - first_e).mean())):
        return None
    if distinct(e, tol) < 2:
        return None
    shift = float((a - e).mean())
    if not math.isfinite(shift) or not tol.close(a, e + shift):
        return None
    way = "plus" if shift > 0 else "minus"
    return Finding(
        f"your tensor equals the expected one {way} {number(abs(shift))} everywhere.",
        carries_value=True,
    )


def affine(a, e, tol, facts, floating) -> Finding | None:
    """a = factor * e + shift, proven only by three distinct values (two fit any line)."""
    first_a, first_e = prefix(a), prefix(e)
    if _line_fit(first_a, first_e, tol) is None or _clusters(e, tol) < 3:
        return None
    fit = _line_fit(a, e, tol)
    if fit is None:
        return None
    factor, shift = fit
    if not (MIN_LINE <= abs(factor) <= MAX_LINE and abs(shift) <= MAX_LINE):
        return None  # a model's outputs that vary along one direction: true, but nothing to act on
    way = "plus" if shift > 0 else "minus"
    return Finding(
        f"your tensor equals the expected one times {number(factor)} {way} {number(abs(shift))}.",
        carries_value=True,
    )


def _line_fit(a: torch.Tensor, e: torch.Tensor, tol: Tolerance) -> tuple[float, float] | None:
    """The least-squares line a = factor * e + shift when it holds everywhere, else None."""
    centred = e - e.mean()
    spread = float((centred * centred).sum())
    if spread <= 0:
        return None
    factor = float((centred * (a - a.mean())).sum()) / spread
    shift = float(a.mean()) - factor * float(e.mean())
    if not (math.isfinite(factor) and math.isfinite(shift)) or abs(factor) < 1e-9:
        return None
    if not tol.close(a, factor * e + shift):
        return None
    return factor, shift


def _clusters(e: torch.Tensor, tol: Tolerance) -> int:
    """How many values of `e` differ beyond the tolerance (counted up to any number)."""
    values = torch.unique(e)
    gaps = values.diff() > tol.atol + tol.rtol * values[1:].abs()
    return 1 + int(gaps.sum())

"""The anatomy's patterns of place, for two tensors of one shape: the learner's values are the
expected ones moved (flipped, rotated, transposed, shifted by k rows or columns) or differ only on
the border ring or only inside it. Rows and columns are the last two dimensions."""

from __future__ import annotations

from collections.abc import Callable

import torch

from grader.checking.anatomy_tools import Tolerance

MAX_SHIFT = 3  # shifts of 1 to 3 rows or columns are tried, each way
# where a shift leaves its zeros: toward higher indices, toward lower ones
_SIDES = {"row": ("top", "bottom"), "column": ("left", "right"), "place": ("first", "last")}


def geometry(a: torch.Tensor, e: torch.Tensor, tol: Tolerance) -> str:
    """One sentence when a pattern holds, else ""."""
    if a.dim() == 0:
        return ""
    return _moved(a, e, tol) or _shifted(a, e, tol) or _ring(a, e, tol)


_Move = Callable[[torch.Tensor], torch.Tensor]


def _moves(e: torch.Tensor) -> list[tuple[str, _Move, _Move]]:
    """(words, the move, the first row of the moved tensor computed alone: a cheap first test)."""
    if e.dim() == 1:
        return [("reversed", lambda x: x.flip(0), lambda x: x.flip(0))]
    moves: list[tuple[str, _Move, _Move]] = [
        ("flipped left to right", lambda x: x.flip(-1), lambda x: x.select(-2, 0).flip(-1)),
        ("flipped upside down", lambda x: x.flip(-2), lambda x: x.select(-2, -1)),
        ("rotated by 180 degrees", lambda x: x.flip(-2, -1), lambda x: x.select(-2, -1).flip(-1)),
    ]
    if e.shape[-1] == e.shape[-2]:
        moves += [
            (
                "transposed (rows and columns swapped)",
                lambda x: x.transpose(-2, -1),
                lambda x: x.select(-1, 0),
            ),
            (
                "rotated by 90 degrees counterclockwise",
                lambda x: torch.rot90(x, 1, (-2, -1)),
                lambda x: x.select(-1, -1),
            ),
            (
                "rotated by 90 degrees clockwise",
                lambda x: torch.rot90(x, -1, (-2, -1)),
                lambda x: x.select(-1, 0).flip(-1),
            ),
        ]
    return moves


def _moved(a, e, tol: Tolerance) -> str:
    first = a.select(-2, 0) if a.dim() > 1 else a
    for words, move, first_row in _moves(e):
        if tol.close(first, first_row(e)) and tol.close(a, move(e)):
            return f"your tensor equals the expected one {words}."
    for d in range(e.dim() - 2):  # a batch or channels in reverse order
        if tol.close(a.select(d, 0), e.select(d, -1)) and tol.close(a, e.flip(d)):
            return f"your tensor equals the expected one reversed along dimension {d}."
    return ""


def _axes(a: torch.Tensor) -> list[tuple[int, str, str, str]]:
    """(dimension, unit, way toward higher indices, way toward lower ones)."""
    if a.dim() == 1:
        return [(0, "place", "right", "left")]
    return [(a.dim() - 2, "row", "down", "up"), (a.dim() - 1, "column", "right", "left")]


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" + ("" if count == 1 else "s")


def _shifted(a, e, tol: Tolerance) -> str:
    for dim, unit, forward, back in _axes(a):
        size = a.shape[dim]
        for k in range(1, min(MAX_SHIFT, size - 1) + 1):
            for step, way in ((k, forward), (-k, back)):
                text = _one_shift(a, e, tol, dim, step, f"{way} by {_plural(k, unit)}", unit)
                if text:
                    return text
    return ""


def _one_shift(a, e, tol: Tolerance, dim: int, step: int, moved: str, unit: str) -> str:
    size, k = a.shape[dim], abs(step)
    landed, came = (k, 0) if step > 0 else (size - 1 - k, size - 1)
    if not tol.close(a.select(dim, landed), e.select(dim, came)):
        return ""  # the first moved row or column is not where a shift puts it
    if tol.close(a, torch.roll(e, step, dim)):
        return f"your tensor equals the expected one shifted {moved}, wrapping around at the edge."
    kept = a.narrow(dim, k, size - k) if step > 0 else a.narrow(dim, 0, size - k)
    source = e.narrow(dim, 0, size - k) if step > 0 else e.narrow(dim, k, size - k)
    edge = a.narrow(dim, 0, k) if step > 0 else a.narrow(dim, size - k, k)
    if tol.close(kept, source) and bool((edge == 0).all()):
        side = _SIDES[unit][0 if step > 0 else 1]
        count = unit if k == 1 else _plural(k, unit)
        return (
            f"your tensor equals the expected one shifted {moved}, with zeros in the {side} "
            f"{count}."
        )
    return ""


def _ring(a, e, tol: Tolerance) -> str:
    if a.dim() < 2 or a.shape[-1] < 3 or a.shape[-2] < 3:
        return ""
    inner_row, outer_row = (x.select(-2, 1).narrow(-1, 1, x.shape[-1] - 2) for x in (a, e))
    if not tol.close(inner_row, outer_row) and not tol.close(a.select(-2, 0), e.select(-2, 0)):
        return ""  # the inside's first row differs and so does the border's: neither pattern
    bad = tol.differing(a, e)
    if int(bad.sum()) < 2:
        return ""
    inside = torch.zeros(a.shape[-2:], dtype=torch.bool)
    inside[1:-1, 1:-1] = True
    inside = inside.expand_as(bad)
    # a ring is a region that differs, not a few scattered values that happen to fall in it (a
    # count matrix's few wrong cells all inside): most of the region must differ
    if not bool((bad & inside).any()) and _mostly(bad, ~inside):
        return "only values on the border (the outer ring) differ; the inside matches."
    if not bool((bad & ~inside).any()) and _mostly(bad, inside):
        return "only values inside the border differ; the border (outer ring) matches."
    return ""


def _mostly(bad: torch.Tensor, region: torch.Tensor) -> bool:
    return 2 * int((bad & region).sum()) >= int(region.sum())

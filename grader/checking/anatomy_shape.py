"""The anatomy of a tensor of the wrong shape, said only when its values prove it: the expected
values with a dimension of size 1 too many or too few, reshaped, with dimensions permuted, or
with rows or columns missing or extra on a named side while everything that overlaps matches."""

from __future__ import annotations

import itertools

import torch

from grader.checking.anatomy_tools import Tolerance

MAX_EDGE = 2  # rows or columns missing or extra on one side that are tried
MAX_PERMUTED_DIMS = 5  # 120 orders at most


def shape_difference(a: torch.Tensor, e: torch.Tensor, tol: Tolerance) -> str:
    """One sentence when the values prove how the shapes differ, else ""."""
    if a.numel() == e.numel() and a.numel() > 1:
        return _same_values(a, e, tol)
    if a.dim() == e.dim() and a.dim() > 0:
        return _edges(a, e, tol) or _every_nth(a, e, tol)
    return ""


def _every_nth(a, e, tol: Tolerance) -> str:
    """The expected values are every 2nd (or 3rd) row and column of the learner's, from the
    first: the step of the windows (a stride) is missing."""
    if a.dim() < 2 or a.shape[:-2] != e.shape[:-2]:
        return ""
    for step in (2, 3):
        taken = a[..., ::step, ::step]
        if taken.shape == e.shape and taken.numel() >= 2 and tol.close(taken, e):
            nth = {2: "2nd", 3: "3rd"}[step]
            return (
                f"the expected values are every {nth} row and column of yours (from the first); "
                "the rows and columns in between are extra."
            )
    return ""


def _same_values(a, e, tol: Tolerance) -> str:
    shape, want = tuple(a.shape), tuple(e.shape)
    order = _permutation(a, e, tol)
    if order:
        if len(order) == 2:
            return "your tensor equals the expected one transposed (rows and columns swapped)."
        return (
            f"your tensor equals the expected one with its dimensions permuted: "
            f"expected.permute{order} (shape {shape} instead of {want})."
        )
    if not tol.close(a.reshape(want), e):
        return ""
    if [s for s in shape if s != 1] == [s for s in want if s != 1]:
        how = {True: "an extra", False: "a missing"}.get(len(shape) > len(want))
        if len(shape) == len(want):
            how = "a misplaced"
        return f"your values are right, with {how} dimension of size 1: {shape} instead of {want}."
    return (
        f"your tensor holds the expected values in the same order, but reshaped to {shape} "
        f"instead of {want}."
    )


def _permutation(a, e, tol: Tolerance) -> tuple[int, ...] | None:
    if a.dim() != e.dim() or not 2 <= a.dim() <= MAX_PERMUTED_DIMS:
        return None
    if sorted(a.shape) != sorted(e.shape):
        return None
    identity = tuple(range(e.dim()))
    for order in itertools.permutations(identity):
        if order != identity and e.permute(order).shape == a.shape:
            if tol.close(a, e.permute(order)):
                return order
    return None


def _edges(a, e, tol: Tolerance) -> str:
    """Each dimension whose size differs by at most MAX_EDGE: every way of lining the two up."""
    gaps = [a.shape[d] - e.shape[d] for d in range(a.dim())]
    differ = [d for d, g in enumerate(gaps) if g]
    if not differ or len(differ) > 2 or any(abs(gaps[d]) > MAX_EDGE for d in differ):
        return ""
    found = []
    for starts in itertools.product(*(range(abs(gaps[d]) + 1) for d in differ)):
        small, large = a, e
        for d, start in zip(differ, starts):
            size = min(a.shape[d], e.shape[d])
            small = small.narrow(d, start, size) if gaps[d] > 0 else small
            large = large.narrow(d, start, size) if gaps[d] < 0 else large
        if small.numel() >= 2 and tol.close(small, large):
            found.append(starts)
    if len(found) != 1:
        return ""  # none, or several alignments: which rows are extra is not proven
    dims, starts = a.dim(), found[0]
    if differ == [dims - 2, dims - 1] and gaps[-1] == gaps[-2] and starts == (1, 1):
        if gaps[-1] < 0:
            return "your tensor equals the expected one without its border (outer ring)."
        return "your tensor equals the expected one with an extra border (outer ring) around it."
    parts = [_edge_words(a.dim(), d, gaps[d], start) for d, start in zip(differ, starts)]
    return f"compared with the expected tensor, {' and '.join(parts)}; everything else matches."


_UNITS = {-2: ("row", "rows", "top", "bottom"), -1: ("column", "columns", "left", "right")}


def _edge_words(dims: int, d: int, gap: int, start: int) -> str:
    """'the top row is missing', 'there are 2 extra columns at the right', ..."""
    one, many, first, last = _UNITS.get(
        d - dims, (f"entry along dimension {d}", f"entries along dimension {d}", "first", "last")
    )
    if start == 1 and abs(gap) == 2:  # one on each side, said once
        if gap < 0:
            return f"the {first} and {last} {many} are missing"
        return f"there is an extra {one} at the {first} and at the {last}"
    words = []
    for side, count in ((first, start), (last, abs(gap) - start)):
        if count == 1 and gap < 0:
            words.append(f"the {side} {one} is missing")
        elif count == 1:
            words.append(f"there is an extra {one} at the {side}")
        elif count and gap < 0:
            words.append(f"the {count} {many} at the {side} are missing")
        elif count:
            words.append(f"there are {count} extra {many} at the {side}")
    return " and ".join(words)

"""Tensors a person can read: numbers to 4 significant digits; a small tensor as an aligned grid
whose differing cells carry a `*` (plain text keeps the mark; the terminal writer colours it);
a large one summarised (shape, dtype, how many values differ and where, the largest
difference); an input as its shape and a few values, never the whole random tensor."""

from __future__ import annotations

import math

import torch

MARK = "*"  # after a differing cell; grader.reports.terminal colours these cells
GRID_INDENT = "    "  # a grid's rows are indented under their header ("Expected (5, 5):")
MAX_ROWS, MAX_COLUMNS = 8, 12  # the largest grid shown whole
SIDE_BY_SIDE = 96  # expected and got side by side when both fit in this many columns
_FEW = 4  # values of an input shown after its shape
_PLACES = 4  # differing places listed before "and N more"


def number(value: float | int | bool) -> str:
    """4 significant digits; integers and booleans as they are; no "-0"."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "nan"
    text = f"{value:.4g}"
    return "0" if text == "-0" else text


def _dtype(tensor: torch.Tensor) -> str:
    return str(tensor.dtype).removeprefix("torch.")


def _shape(tensor: torch.Tensor) -> str:
    return str(tuple(tensor.shape))


def _values(tensor: torch.Tensor) -> list:
    return tensor.detach().flatten().tolist()


def nested(tensor: torch.Tensor) -> str:
    """The values in brackets on one line, rounded: [[1, 0, -1], [1, 0, -1]]."""
    if tensor.dim() == 0:
        return number(tensor.item())
    return "[" + ", ".join(nested(row) for row in tensor) + "]"


def brief(tensor: torch.Tensor, limit: int = 9) -> str:
    """An input as far as it helps: all of it when it has at most `limit` values (a 3x3 kernel),
    else its shape, dtype and first few values; `limit=0` gives the shape and dtype alone."""
    if tensor.numel() <= limit:
        return nested(tensor)
    head = f"{_shape(tensor)} {_dtype(tensor)}"
    if limit <= 0 or tensor.numel() == 0:
        return head
    values = ", ".join(number(v) for v in _values(tensor)[:_FEW])
    return f"{head} starting {values}, ..."


def _as_grid(tensor: torch.Tensor) -> torch.Tensor | None:
    """The tensor as rows and columns when it fits a grid (leading sizes of 1 dropped)."""
    while tensor.dim() > 2 and tensor.shape[0] == 1:
        tensor = tensor[0]
    if tensor.dim() == 0:
        tensor = tensor.reshape(1, 1)
    elif tensor.dim() == 1:
        tensor = tensor.reshape(1, -1)
    if tensor.dim() != 2 or tensor.shape[0] > MAX_ROWS or tensor.shape[1] > MAX_COLUMNS:
        return None
    return tensor


def grid(tensor: torch.Tensor, marks: torch.Tensor | None = None, width: int = 0) -> list[str]:
    """The rows of an aligned grid, each cell followed by MARK where `marks` is true (a space
    otherwise, so columns stay aligned with or without marks); cells at least `width` wide. The
    tensor must fit (`fits`)."""
    cells = _as_grid(tensor)
    if cells is None:
        raise ValueError(f"a {_shape(tensor)} tensor is too large for a grid")
    flags = (
        torch.zeros(cells.shape, dtype=torch.bool) if marks is None else marks.reshape(cells.shape)
    )
    texts = [[number(v) for v in row] for row in cells.tolist()]
    width = max([width] + [len(t) for row in texts for t in row])
    return [
        " ".join(t.rjust(width) + (MARK if flag else " ") for t, flag in zip(row, flag_row))
        for row, flag_row in zip(texts, flags.tolist())
    ]


def _cell_width(*tensors: torch.Tensor) -> int:
    return max(len(number(v)) for t in tensors for v in _values(t))


def _grids(expected: torch.Tensor, actual: torch.Tensor, bad: torch.Tensor) -> list[str]:
    """Expected and got as grids with one cell width: side by side when they fit in
    SIDE_BY_SIDE columns, else one under the other. All-differing grids carry no marks."""
    count = int(bad.sum())
    marks = None if count == bad.numel() else bad
    got = (
        f"Got (all {count} differ)"
        if marks is None
        else f"Got ({MARK} marks the {count} that differ)"
    )
    width = _cell_width(expected, actual)
    left, right = grid(expected, marks, width), grid(actual, marks, width)
    head = f"Expected {_shape(expected)}"
    column = max(len(GRID_INDENT + left[0]), len(head)) + 4
    if column + max(len(got), len(right[0])) <= SIDE_BY_SIDE:
        rows = [(GRID_INDENT + a).ljust(column) + b for a, b in zip(left, right)]
        return [head.ljust(column) + got] + [r.rstrip() for r in rows]
    return (
        [head + ":"]
        + [GRID_INDENT + r.rstrip() for r in left]
        + [got + ":"]
        + [GRID_INDENT + r.rstrip() for r in right]
    )


def fits(tensor: torch.Tensor) -> bool:
    return _as_grid(tensor) is not None


def differing(actual: torch.Tensor, expected: torch.Tensor, rtol: float, atol: float):
    """Where two tensors of one shape differ (compare.py's closeness rule: NaN differs from
    everything, NaN included)."""
    a, e = actual.detach().double(), expected.detach().double()
    return ~torch.isclose(a, e, rtol=rtol, atol=atol)


def _index(flat: int, shape: tuple[int, ...]) -> str:
    parts = []
    for size in reversed(shape):
        parts.append(flat % size)
        flat //= size
    return "[" + ", ".join(str(p) for p in reversed(parts)) + "]"


def _ranges(values: list[int]) -> str:
    """0, 1, 2, 5 -> "0-2, 5"."""
    spans: list[list[int]] = []
    for v in values:
        if spans and v == spans[-1][1] + 1:
            spans[-1][1] = v
        else:
            spans.append([v, v])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _places(bad: torch.Tensor) -> str:
    """Where the differences are: the first few indices, and for 2-D the rows and columns."""
    flat = bad.flatten().nonzero().flatten().tolist()
    shape = tuple(bad.shape)
    listed = ", ".join(_index(i, shape) for i in flat[:_PLACES])
    more = f" and {len(flat) - _PLACES} more" if len(flat) > _PLACES else ""
    text = f"at {listed}{more}"
    if bad.dim() == 2 and len(flat) > _PLACES:
        rows = bad.any(dim=1).nonzero().flatten().tolist()
        columns = bad.any(dim=0).nonzero().flatten().tolist()
        text += f" (rows {_ranges(rows)}; columns {_ranges(columns)})"
    return text


def difference(
    actual: torch.Tensor, expected: torch.Tensor, rtol: float = 1.3e-6, atol: float = 1e-5
) -> str:
    """Two tensors of one shape that differ, as a learner reads them: how many values and which,
    the largest difference, and the grids of both when they are small."""
    bad = differing(actual, expected, rtol, atol)
    a, e = actual.detach().double(), expected.detach().double()
    gap = (a - e).abs().nan_to_num(nan=math.inf)
    gap = torch.where(bad, gap, torch.zeros_like(gap))
    worst = int(torch.argmax(gap.flatten())) if gap.numel() else 0
    shape = tuple(actual.shape)
    count = int(bad.sum())
    want, got = expected.flatten()[worst].item(), actual.flatten()[worst].item()
    lines = [
        f"{count} of {actual.numel()} values differ; the largest difference is "
        f"{number(float(gap.flatten()[worst]))} at {_index(worst, shape)} (expected "
        f"{number(want)}, got {number(got)})."
    ]
    if fits(actual):
        lines += _grids(expected, actual, bad)
    else:
        lines.append(f"Both are {_shape(actual)} {_dtype(actual)}; they differ {_places(bad)}.")
    return "\n".join(lines)

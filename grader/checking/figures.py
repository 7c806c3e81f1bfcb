"""The `figures` fixture's book: what a check draws, computed here in the pytest process from
values the worker returned and values this process computed (nothing new runs in the worker).

Every builder takes hostile values: one that is not a real-valued tensor of a drawable shape gives
no figure (the check's message says what is wrong with it), never an error."""

from __future__ import annotations

from typing import Any

import pytest
import torch
import torch.nn.functional as F

from grader.checking.tensor_text import differing
from grader.digits import MNIST_MEAN, MNIST_STD, make_digits
from grader.workbook.figures import (
    MAX_FIGURES,
    MAX_PANELS,
    MAX_SIDE,
    Figure,
    Panel,
    Scale,
    make_figure,
    make_panel,
)

FIGURES = pytest.StashKey["Figures"]()
DIGIT_SEED = 7  # a fixed digit, not drawn from a grading key: the same in every run


def _grid(value: Any) -> torch.Tensor | None:
    """`value` as a float64 2-D grid (leading dimensions of size 1 dropped), or None."""
    if type(value) is not torch.Tensor or value.is_complex() or value.dtype == torch.bool:
        return None
    grid = value.detach()
    while grid.dim() > 2 and grid.shape[0] == 1:
        grid = grid[0]
    if grid.dim() == 1:
        grid = grid[None]
    if grid.dim() != 2 or not (0 < grid.shape[0] <= MAX_SIDE and 0 < grid.shape[1] <= MAX_SIDE):
        return None
    return grid.to(torch.float64)


def _panel(label: str, grid: torch.Tensor, scale: Scale, marked: list[int] = ()) -> Panel:
    rows, cols = grid.shape
    return make_panel(label, rows, cols, grid.flatten().tolist(), scale, marked)


def _ink(image: torch.Tensor) -> torch.Tensor:
    """A normalised digit as ink from 0 (paper) to 1."""
    return (image * MNIST_STD + MNIST_MEAN).clamp(0, 1)


def _differing(got: torch.Tensor, expected: torch.Tensor, rtol: float, atol: float) -> list[int]:
    """The flat indices of the cells the message counts as differing (the same closeness rule)."""
    return torch.nonzero(differing(got, expected, rtol, atol).flatten()).flatten().tolist()


def _outlined(marked: list[int], cells: int) -> list[int]:
    """The cells to outline: those that differ, when they are at most half (an outline on most
    cells hides the picture; the caption says how many differ)."""
    return marked if len(marked) <= cells // 2 else []


def _differ_caption(differing: int, cells: int, what: str = "values") -> str:
    if differing == cells:
        return f"All {cells} {what} differ."
    outlined = " (outlined)" if _outlined([0] * differing, cells) else ""
    return f"{differing} of {cells} {what} differ{outlined}."


def comparison(
    title: str, expected: Any, got: Any, rtol: float = 1e-4, atol: float = 1e-4
) -> Figure | None:
    """Heat maps of expected, got and got - expected (cells that differ marked), when `got` is a
    grid that differs from `expected`; expected and got alone when their shapes differ."""
    want, have = _grid(expected), _grid(got)
    if want is None or have is None:
        return None
    if want.shape != have.shape:
        return make_figure(
            title,
            (_panel("expected", want, Scale.VALUE), _panel("yours", have, Scale.VALUE)),
            f"The shapes differ: {tuple(want.shape)} expected, yours {tuple(have.shape)}.",
        )
    differing = _differing(have, want, rtol, atol)
    if not differing:
        return None
    marked = _outlined(differing, want.numel())
    panels = (
        _panel("expected", want, Scale.VALUE),
        _panel("yours", have, Scale.VALUE, marked),
        _panel("yours - expected", have - want, Scale.DIFFERENCE, marked),
    )
    return make_figure(title, panels, _differ_caption(len(differing), want.numel()))


def filter_on_digit(name: str, spec: torch.Tensor, got: Any) -> Figure | None:
    """A digit, what the spec's filter makes of it and what the learner's does (padding 1), when
    the learner's filter differs from the spec's."""
    kernel = _grid(got)
    if kernel is None or kernel.shape[0] > 7 or kernel.shape[1] > 7:
        return None
    spec = spec.to(torch.float64)
    if kernel.shape == spec.shape and torch.equal(kernel, spec):
        return None
    images, labels = make_digits(1, seed=DIGIT_SEED)
    digit = images[0, 0].to(torch.float64)  # normalised, as a network sees it

    def apply(k: torch.Tensor) -> torch.Tensor:
        pad = (k.shape[1] // 2, k.shape[1] // 2, k.shape[0] // 2, k.shape[0] // 2)
        return F.conv2d(F.pad(digit, pad)[None, None], k[None, None])[0, 0]

    want, have = apply(spec), apply(kernel)
    panels = [_panel(f"a digit ({int(labels[0])})", _ink(digit), Scale.INK)]
    panels.append(_panel(f"the spec's {name}", want, Scale.VALUE))
    panels.append(_panel(f"your {name}", have, Scale.VALUE))
    return make_figure(
        f"{name}() applied to a digit",
        tuple(panels),
        "Positive responses are orange, negative blue: an edge filter lights up the digit's edges.",
    )


def confusion(got: Any, expected: torch.Tensor) -> Figure | None:
    """The learner's confusion matrix, cells that differ from the expected one marked, and the
    expected one beside it when they differ."""
    have, want = _grid(got), _grid(expected)
    if have is None or want is None:
        return None
    if have.shape != want.shape:
        return make_figure(
            "confusion matrix (rows: true label, columns: prediction)",
            (_panel("yours", have, Scale.COUNT), _panel("expected", want, Scale.COUNT)),
            f"The shapes differ: {tuple(want.shape)} expected, yours {tuple(have.shape)}.",
        )
    differing = _differing(have, want, 0.0, 0.0)
    marked = _outlined(differing, want.numel())
    panels = [_panel("yours", have, Scale.COUNT, marked)]
    if differing:
        panels.append(_panel("expected", want, Scale.COUNT, marked))
    caption = _differ_caption(len(differing), want.numel(), "counts") if differing else ""
    return make_figure(
        "confusion matrix (rows: true label, columns: prediction)", tuple(panels), caption
    )


def held_out(images: torch.Tensor, labels: torch.Tensor, scores: torch.Tensor) -> list[Figure]:
    """08: the accuracy per class, and the first misclassified held-out digits."""
    predicted = scores.double().argmax(dim=1)
    wrong = (predicted != labels) | ~torch.isfinite(scores.double()).all(dim=1)
    per_class = [
        100.0 * float((~wrong[labels == c]).double().mean()) if (labels == c).any() else 0.0
        for c in range(10)
    ]
    bars = make_panel("percent right", 1, 10, per_class, Scale.PERCENT)
    figures = [make_figure("accuracy per class (digits 0 to 9)", (bars,))]
    shown = torch.nonzero(wrong).flatten()[:MAX_PANELS].tolist()
    if shown:
        digits = tuple(
            _panel(
                f"predicted {int(predicted[i])}, true {int(labels[i])}",
                _ink(images[i].reshape(28, 28).double()),
                Scale.INK,
            )
            for i in shown
        )
        total = int(wrong.sum())
        figures.append(
            make_figure(
                "misclassified held-out digits",
                digits,
                f"The first {len(shown)} of {total:,} misclassified of {len(labels):,}.",
            )
        )
    return figures


class Figures:
    """What one check draws (the `figures` fixture): added by the check, kept by the verdict
    unless the check is hidden in a graded run."""

    def __init__(self, kept: bool = True) -> None:
        self.drawn: list[Figure] = []
        self.kept = kept  # False: a hidden check of a graded run, whose figures are dropped anyway

    def add(self, figure: Figure | None) -> None:
        if figure is not None and len(self.drawn) < MAX_FIGURES:
            self.drawn.append(figure)

    def compare(self, title: str, expected: Any, got: Any, **tolerance: float) -> None:
        if self.kept:
            self.add(comparison(title, expected, got, **tolerance))

    def filter_on_digit(self, name: str, spec: torch.Tensor, got: Any) -> None:
        if self.kept:
            self.add(filter_on_digit(name, spec, got))

    def confusion(self, got: Any, expected: torch.Tensor) -> None:
        if self.kept:
            self.add(confusion(got, expected))

    def held_out(self, images: torch.Tensor, labels: torch.Tensor, scores: torch.Tensor) -> None:
        for figure in held_out(images, labels, scores) if self.kept else ():
            self.add(figure)


def drawn(item: pytest.Item) -> tuple[Figure, ...]:
    book = item.stash.get(FIGURES, None)
    return tuple(book.drawn) if book else ()

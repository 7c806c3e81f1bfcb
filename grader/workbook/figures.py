"""Pictures a check attaches to its result: small, bounded, plain data (no torch), carried in
`--json` and grades.json and drawn by grader/reports/figures_html.py.

A figure is a titled row of panels; a panel is a grid of numbers (row-major, at most 64x64) with
a colour scale and the cells to mark (where the learner's answer differs). Values are rounded to
4 significant digits; a non-finite value is NaN (None in JSON)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

MAX_SIDE = 64  # rows and columns of a panel
MAX_PANELS = 16  # per figure (08's misclassified digits)
MAX_FIGURES = 4  # per check
TEXT_LIMIT = 200  # characters of a title, label or caption


class Scale(str, Enum):
    """How a panel's numbers become colours."""

    VALUE = "value"  # signed values: the value panels of one figure share a scale centred on 0
    DIFFERENCE = "difference"  # got - expected: a scale of its own, centred on 0
    INK = "ink"  # a digit: white paper, dark ink
    COUNT = "count"  # counts (a confusion matrix): white to blue, the number in each cell
    PERCENT = "percent"  # 0-100 per cell, drawn as bars (08's accuracy per class)


@dataclass(frozen=True)
class Panel:
    label: str
    rows: int
    cols: int
    values: tuple[float, ...]
    scale: Scale = Scale.VALUE
    marked: tuple[int, ...] = ()  # flat indices of the cells that differ from what was expected

    def to_json(self) -> dict:
        data = {
            "label": self.label,
            "shape": [self.rows, self.cols],
            "scale": self.scale.value,
            "values": [_round(v) for v in self.values],
        }
        if self.marked:
            data["marked"] = list(self.marked)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Panel:
        rows, cols = (int(n) for n in data["shape"])
        values = tuple(float("nan") if v is None else float(v) for v in data["values"])
        return make_panel(
            str(data.get("label", "")),
            rows,
            cols,
            values,
            Scale(data.get("scale", "value")),
            tuple(int(i) for i in data.get("marked", ())),
        )


@dataclass(frozen=True)
class Figure:
    title: str
    panels: tuple[Panel, ...]
    caption: str = ""

    def to_json(self) -> dict:
        data = {"title": self.title, "panels": [p.to_json() for p in self.panels]}
        if self.caption:
            data["caption"] = self.caption
        return data

    @classmethod
    def from_json(cls, data: dict) -> Figure:
        panels = tuple(Panel.from_json(p) for p in list(data["panels"])[:MAX_PANELS])
        return make_figure(str(data.get("title", "")), panels, str(data.get("caption", "")))


def make_panel(
    label: str,
    rows: int,
    cols: int,
    values: tuple[float, ...] | list[float],
    scale: Scale = Scale.VALUE,
    marked: tuple[int, ...] | list[int] = (),
) -> Panel:
    """A panel, its bounds enforced: at most MAX_SIDE x MAX_SIDE cells, as many values as cells."""
    if not (0 < rows <= MAX_SIDE and 0 < cols <= MAX_SIDE) or len(values) != rows * cols:
        raise ValueError(f"a panel of {rows}x{cols} cells with {len(values)} values")
    cells = rows * cols
    return Panel(
        label[:TEXT_LIMIT],
        rows,
        cols,
        tuple(_rounded(float(v)) for v in values),
        scale,
        tuple(sorted({int(i) for i in marked if 0 <= int(i) < cells})),
    )


def make_figure(title: str, panels: tuple[Panel, ...], caption: str = "") -> Figure:
    return Figure(title[:TEXT_LIMIT], tuple(panels[:MAX_PANELS]), caption[: TEXT_LIMIT * 2])


def _rounded(value: float) -> float:
    """4 significant digits (what a picture can show); NaN for any non-finite value."""
    return float(f"{value:.4g}") if math.isfinite(value) else math.nan


def _round(value: float) -> float | None:
    return value if math.isfinite(value) else None  # JSON has no NaN


def figures_to_json(figures: tuple[Figure, ...]) -> list[dict]:
    return [f.to_json() for f in figures]


def figures_from_json(data: list | None) -> tuple[Figure, ...]:
    return tuple(Figure.from_json(f) for f in list(data or [])[:MAX_FIGURES])

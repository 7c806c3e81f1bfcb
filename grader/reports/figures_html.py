"""A check's figures as HTML: inline SVG, one per panel, in a self-contained page (no network, no
script). Small grids are drawn cell by cell with their numbers; grids of more than 12x12 cells
(28x28 digits) as a PNG encoded by hand, embedded as a data URI and scaled up pixelated, which
keeps the page small (bench/figures.py measures the choice). Every label is escaped here."""

from __future__ import annotations

import math

from grader.reports.colours import (
    RGB,
    diverging,
    hex_colour,
    ink,
    png_data_uri,
    readable_on,
    sequential,
)
from grader.reports.escape import html as escape
from grader.workbook.figures import Figure, Panel, Scale

RASTER_ABOVE = 144  # cells: larger grids are embedded as a PNG, smaller drawn as SVG rects
STYLE = """
.fig{margin:.6rem 0 1rem;padding:.5rem .7rem;border:1px solid #e2e2e2;border-radius:4px;
background:#fcfcfc;display:inline-block;max-width:100%}.fig figcaption{font-weight:600;
margin-bottom:.35rem}.panels{display:flex;flex-wrap:wrap;gap:.9rem;align-items:flex-start}
.panel{display:flex;flex-direction:column;gap:.2rem;font-size:12px}.panel .plabel{font-weight:600}
.gallery .panel{width:92px}.gallery .plabel{font-weight:400;font-size:11px}
.fig svg text{font:11px ui-monospace,Menlo,Consolas,monospace}.fig .note{margin-top:.35rem}
"""


def _limit(panels: list[Panel]) -> float:
    finite = [abs(v) for p in panels for v in p.values if math.isfinite(v)]
    return max(finite, default=0.0)


def _colour(panel: Panel, value: float, limit: float) -> RGB:
    if panel.scale is Scale.INK:
        return ink(value)
    if panel.scale is Scale.COUNT:
        return sequential(value, limit)
    return diverging(value, limit)


def _number(panel: Panel, value: float, cell: int) -> str:
    """The value as it fits its cell: 3 significant digits, 2 when 3 do not fit, else nothing."""
    if not math.isfinite(value):
        return "nan"  # NaN or inf: not a finite number
    if panel.scale is Scale.COUNT:
        return f"{value:g}" if value else ""  # zeros left blank: the counts stand out
    room = (cell - 3) // 6.2  # characters of 11px monospace
    for digits in (3, 2):
        text = f"{value:.{digits}g}"
        text = text.replace("0.", ".", 1) if abs(value) < 1 else text  # -0.12 as -.12
        if len(text) <= room:
            return text
    return ""


def _cell_size(panel: Panel, gallery: bool) -> int:
    if gallery:
        return 3
    return max(4, min(40, 224 // max(panel.rows, panel.cols)))


def _grid_svg(panel: Panel, limit: float, cell: int, raster: bool) -> str:
    width, height = panel.cols * cell, panel.rows * cell
    colours = [_colour(panel, v, limit) for v in panel.values]
    # a matrix's rows and columns are classes: numbered along the left and the top
    axes = 16 if panel.scale is Scale.COUNT and cell >= 16 else 1
    parts = [
        f'<svg role="img" aria-label="{escape(panel.label)}" width="{width + axes + 1}" '
        f'height="{height + axes + 1}" viewBox="{-axes} {-axes} {width + axes + 1} '
        f'{height + axes + 1}">'
    ]
    for index in range(max(panel.rows, panel.cols) if axes > 1 else 0):
        middle = index * cell + cell / 2
        if index < panel.cols:
            parts.append(f'<text x="{middle}" y="-4" text-anchor="middle">{index}</text>')
        if index < panel.rows:
            parts.append(f'<text x="-4" y="{middle + 4}" text-anchor="end">{index}</text>')
    if raster and panel.rows * panel.cols > RASTER_ABOVE:
        rows = [colours[r * panel.cols : (r + 1) * panel.cols] for r in range(panel.rows)]
        parts.append(
            f'<image href="{png_data_uri(rows)}" width="{width}" height="{height}" '
            'preserveAspectRatio="none" style="image-rendering:pixelated"/>'
        )
    else:
        numbers = cell >= 34 or (panel.scale is Scale.COUNT and cell >= 20)
        for index, (value, rgb) in enumerate(zip(panel.values, colours)):
            x, y = (index % panel.cols) * cell, (index // panel.cols) * cell
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{hex_colour(rgb)}"/>'
            )
            if numbers:
                parts.append(
                    f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle" '
                    f'fill="{readable_on(rgb)}">{_number(panel, value, cell)}</text>'
                )
    # the cells that differ, outlined; when all differ an outline on each would only be noise
    if 0 < len(panel.marked) < panel.rows * panel.cols:
        stroke = 2 if cell >= 8 else 1
        for index in panel.marked:
            x, y = (index % panel.cols) * cell, (index // panel.cols) * cell
            parts.append(
                f'<rect x="{x + stroke / 2}" y="{y + stroke / 2}" width="{cell - stroke}" '
                f'height="{cell - stroke}" fill="none" stroke="#111" stroke-width="{stroke}"/>'
            )
    parts.append(
        f'<rect x="-.5" y="-.5" width="{width + 1}" height="{height + 1}" fill="none" '
        'stroke="#999"/></svg>'
    )
    return "".join(parts)


def _bars_svg(panel: Panel) -> str:
    """Per-class percentages as bars, each with its number above and its class below."""
    bar, gap, top, tall = 22, 6, 16, 100
    width = panel.cols * (bar + gap)
    parts = [
        f'<svg role="img" aria-label="{escape(panel.label)}" width="{width}" '
        f'height="{top + tall + 16}">'
        f'<line x1="0" x2="{width}" y1="{top + tall}" y2="{top + tall}" stroke="#777"/>'
    ]
    for index, value in enumerate(panel.values):
        x = index * (bar + gap)
        shown = max(0.0, min(100.0, value)) if math.isfinite(value) else 0.0
        h = tall * shown / 100
        parts.append(
            f'<rect x="{x}" y="{top + tall - h:.1f}" width="{bar}" height="{h:.1f}" '
            f'fill="{hex_colour(diverging(-1, 1))}"/>'
            f'<text x="{x + bar / 2}" y="{top + tall - h - 3:.1f}" text-anchor="middle">'
            f"{shown:.0f}</text>"
            f'<text x="{x + bar / 2}" y="{top + tall + 13}" text-anchor="middle">{index}</text>'
        )
    return "".join(parts) + "</svg>"


def _legend_svg(scale: Scale, limit: float) -> str:
    """The colour scale: nine steps with the values at its ends (and 0 in the middle)."""
    steps, step = 9, 16
    if scale is Scale.COUNT:
        values = [limit * i / (steps - 1) for i in range(steps)]
        colours = [sequential(v, limit) for v in values]
        ticks = ((0, "0"), (steps * step, f"{limit:g}"))
    else:
        values = [limit * (2 * i / (steps - 1) - 1) for i in range(steps)]
        colours = [diverging(v, limit) for v in values]
        ticks = ((0, f"{-limit:.3g}"), (steps * step / 2, "0"), (steps * step, f"{limit:.3g}"))
    width = steps * step
    parts = [f'<svg class="legend" width="{width + 40}" height="30" aria-label="colour scale">']
    for i, rgb in enumerate(colours):
        parts.append(
            f'<rect x="{20 + i * step}" y="1" width="{step}" height="12" fill="{hex_colour(rgb)}"/>'
        )
    parts.append(f'<rect x="20" y="1" width="{width}" height="12" fill="none" stroke="#999"/>')
    for x, text in ticks:
        parts.append(f'<text x="{20 + x}" y="26" text-anchor="middle">{text}</text>')
    return "".join(parts) + "</svg>"


def figure_html(figure: Figure, raster: bool = True) -> str:
    """One figure: its title, its panels side by side with their colour scales, its caption."""
    panels = list(figure.panels)
    gallery = sum(p.scale is Scale.INK for p in panels) > 4
    shared = _limit([p for p in panels if p.scale is Scale.VALUE])
    counts = _limit([p for p in panels if p.scale is Scale.COUNT])
    cells = []
    for index, panel in enumerate(panels):
        if panel.scale is Scale.PERCENT:
            body = _bars_svg(panel)
        else:
            limit = {Scale.VALUE: shared, Scale.COUNT: counts}.get(panel.scale, 0.0)
            if panel.scale is Scale.DIFFERENCE:
                limit = _limit([panel])
            body = _grid_svg(panel, limit, _cell_size(panel, gallery), raster)
            following = panels[index + 1] if index + 1 < len(panels) else None
            last_of_scale = following is None or following.scale is not panel.scale
            if last_of_scale and panel.scale in (Scale.VALUE, Scale.DIFFERENCE, Scale.COUNT):
                body += _legend_svg(panel.scale, limit or 1.0)
        label = f'<div class="plabel">{escape(panel.label)}</div>'
        cells.append(f'<div class="panel">{label}{body}</div>')
    caption = f'<p class="note small muted">{escape(figure.caption)}</p>' if figure.caption else ""
    kind = "panels gallery" if gallery else "panels"
    return (
        f'<figure class="fig"><figcaption>{escape(figure.title)}</figcaption>'
        f'<div class="{kind}">{"".join(cells)}</div>{caption}</figure>'
    )

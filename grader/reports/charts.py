"""Charts as inline SVG (the report fetches nothing): the distribution of totals, and a small
distribution of one exercise's scores among those who attempted it."""

from __future__ import annotations


def _bins(values: list[float], top: float, bins: int) -> list[int]:
    counts = [0] * bins
    for value in values:
        counts[min(int(value / top * bins), bins - 1) if top > 0 else 0] += 1
    return counts


def histogram_svg(totals: list[float], max_total: float, bins: int = 10) -> str:
    """The class's totals in `bins` equal ranges of points, each bar labelled with its count."""
    width, height, left, bottom = 520, 170, 12, 30
    counts = _bins(totals, max_total, bins)
    tallest = max(counts) or 1
    bar_width = (width - left - 12) / bins
    parts = [
        f'<svg id="histogram" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" role="img" aria-label="Distribution of total points">'
    ]
    for i, count in enumerate(counts):
        bar_height = (height - bottom - 16) * count / tallest
        x, y = left + i * bar_width, height - bottom - bar_height
        low, high = max_total * i / bins, max_total * (i + 1) / bins
        parts.append(
            f'<rect class="bar" x="{x + 1:.1f}" y="{y:.1f}" width="{bar_width - 2:.1f}" '
            f'height="{bar_height:.1f}"><title>{low:g} to {high:g} points: {count}</title></rect>'
        )
        if count:
            parts.append(
                f'<text class="label" x="{x + bar_width / 2:.1f}" y="{y - 3:.1f}" '
                f'text-anchor="middle">{count}</text>'
            )
        parts.append(
            f'<text class="label" x="{x:.1f}" y="{height - bottom + 13}" '
            f'text-anchor="middle">{low:g}</text>'
        )
    parts.append(
        f'<text class="label" x="{left + bins * bar_width:.1f}" y="{height - bottom + 13}" '
        f'text-anchor="middle">{max_total:g}</text>'
        f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{width - 12}" '
        f'y2="{height - bottom}"/>'
        f'<text class="label" x="{width / 2:.0f}" y="{height - 3}" text-anchor="middle">'
        "total points (students per range)</text></svg>"
    )
    return "".join(parts)


def mini_distribution_svg(scores: list[float], points: float, bins: int = 5) -> str:
    """A sparkline-sized histogram of the attempters' scores: 0 at the left, full marks at the
    right; the last bar holds full marks only, so "everyone passed" reads at a glance."""
    width, height, gap = 110, 28, 2
    counts = [0] * bins
    for score in scores:
        if score >= points:
            counts[-1] += 1
        else:
            counts[min(int(score / points * (bins - 1)), bins - 2) if points > 0 else 0] += 1
    tallest = max(counts) or 1
    bar_width = width / bins
    label = ", ".join(f"{c}" for c in counts)
    parts = [
        f'<svg class="mini" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" role="img" aria-label="scores from 0 to full marks: {label}">'
    ]
    for i, count in enumerate(counts):
        bar_height = max((height - 2) * count / tallest, 1 if count else 0)
        low = points * i / (bins - 1)
        what = "full marks" if i == bins - 1 else f"{low:g} to {points * (i + 1) / (bins - 1):g}"
        parts.append(
            f'<rect class="{"full" if i == bins - 1 else "bar"}" x="{i * bar_width + gap / 2:.1f}"'
            f' y="{height - bar_height:.1f}" width="{bar_width - gap:.1f}" '
            f'height="{bar_height:.1f}"><title>{what}: {count}</title></rect>'
        )
    parts.append(f'<line class="axis" x1="0" y1="{height}" x2="{width}" y2="{height}"/></svg>')
    return "".join(parts)

"""`report.html`: one self-contained page for the instructor (no network, charts as inline SVG):
the distribution of totals, the mean and median per exercise, the checks most students failed
(with their most common message), the students whose code erred, timed out or hit a limit,
and a link to every feedback file."""

from __future__ import annotations

import statistics
from collections import Counter

from grader.reports.escape import html as escape
from grader.reports.gradebook import exercises_in, number
from grader.workbook.results import BatchRecord, Status

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}
th{background:#f3f3f3}td.n{text-align:right}pre{white-space:pre-wrap;margin:0;font-size:.85rem}
.bar{fill:#3b7dd8}.axis{stroke:#555}.label{font-size:11px;fill:#333}
"""


def histogram_svg(totals: list[float], max_total: float, bins: int = 10) -> str:
    width, height, left, bottom = 560, 220, 36, 28
    counts = [0] * bins
    for total in totals:
        index = min(int(total / max_total * bins), bins - 1) if max_total else 0
        counts[index] += 1
    tallest = max(counts) or 1
    bar_width = (width - left - 10) / bins
    parts = [
        f'<svg id="histogram" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="Distribution of total points">'
    ]
    for i, count in enumerate(counts):
        bar_height = (height - bottom - 10) * count / tallest
        x, y = left + i * bar_width, height - bottom - bar_height
        low, high = max_total * i / bins, max_total * (i + 1) / bins
        parts.append(
            f'<rect class="bar" x="{x + 1:.1f}" y="{y:.1f}" width="{bar_width - 2:.1f}" '
            f'height="{bar_height:.1f}"><title>{low:g}-{high:g} points: {count}</title></rect>'
        )
        if count:
            parts.append(
                f'<text class="label" x="{x + bar_width / 2:.1f}" y="{y - 3:.1f}" '
                f'text-anchor="middle">{count}</text>'
            )
        parts.append(f'<text class="label" x="{x:.1f}" y="{height - bottom + 14}">{low:g}</text>')
    parts.append(
        f'<text class="label" x="{width - 20}" y="{height - bottom + 14}">{max_total:g}</text>'
    )
    parts.append(
        f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{width - 10}" '
        f'y2="{height - bottom}"/>'
    )
    parts.append(f'<text class="label" x="{left}" y="{height - 2}">total points</text></svg>')
    return "".join(parts)


def render(records: dict[str, BatchRecord]) -> str:
    exercises = exercises_in(records)
    max_total = sum(e.points for e in exercises)
    totals = [r.result.total for r in records.values()]
    rows = []
    for e in exercises:
        scores = [r.result.exercises[e.id].score for r in records.values()]
        rows.append(
            f"<tr><td>{e.number:02d} {escape(e.title)}</td><td class=n>{e.points}</td>"
            f"<td class=n>{statistics.mean(scores) if scores else 0:.2f}</td>"
            f"<td class=n>{statistics.median(scores) if scores else 0:g}</td></tr>"
        )
    failures: dict[tuple[str, str], Counter] = {}
    for record in records.values():
        for e in exercises:
            for check in record.result.exercises[e.id].checks:
                if not check.passed and check.status is not Status.NOT_ATTEMPTED:
                    first = check.message.splitlines()[0] if check.message else ""
                    failures.setdefault((e.id, check.name), Counter())[first] += 1
    ranked = sorted(failures.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    failed_rows = [
        f"<tr><td>{escape(ex)}</td><td>{escape(name)}</td><td class=n>{sum(c.values())}</td>"
        f"<td><pre>{escape(c.most_common(1)[0][0])}</pre></td></tr>"
        for (ex, name), c in ranked
    ]
    trouble = []
    for student, record in records.items():
        checks = [c for e in exercises for c in record.result.exercises[e.id].checks]
        kinds = Counter(
            c.status.value for c in checks if c.status in (Status.ERROR, Status.TIMEOUT)
        )
        limits = sum("limit" in c.message for c in checks if not c.passed)
        notes = record.notes
        if kinds or limits or notes:
            what = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
            what += (", " if what and limits else "") + (f"{limits} limit(s) hit" if limits else "")
            trouble.append(
                f"<tr><td>{escape(student)}</td><td>{escape(what)}</td>"
                f"<td><pre>{escape(' '.join(notes))}</pre></td></tr>"
            )
    students = [
        f'<tr><td><a href="feedback/{escape(r.key)}.md">{escape(s)}</a></td>'
        f"<td class=n>{number(r.result.total)}</td></tr>"
        for s, r in records.items()
    ]
    mean = statistics.mean(totals) if totals else 0
    median = statistics.median(totals) if totals else 0
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CNN workbook: class report</title>
<style>{_STYLE}</style></head><body>
<h1>CNN workbook: class report</h1>
<p>{len(records)} submissions; total out of {max_total}: mean {mean:.2f}, median {median:g}.</p>
<h2>Distribution of totals</h2>
{histogram_svg(totals, max_total)}
<h2>Per exercise</h2>
<table><tr><th>exercise</th><th>points</th><th>mean</th><th>median</th></tr>{"".join(rows)}</table>
<h2>Checks by number of students who failed them</h2>
<table><tr><th>exercise</th><th>check</th><th>failed</th><th>most common message</th></tr>
{"".join(failed_rows)}</table>
<h2>Errors, timeouts and limits</h2>
<table><tr><th>student</th><th>what happened</th><th>notes</th></tr>
{"".join(trouble) or "<tr><td colspan=3>none</td></tr>"}</table>
<h2>Students</h2>
<table><tr><th>student (feedback)</th><th>total</th></tr>{"".join(students)}</table>
</body></html>
"""

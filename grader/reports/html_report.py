"""`report.html`: one self-contained page that answers an instructor's questions (no network;
charts as inline SVG, sorting and filtering as inline script): how the class did on each
exercise, who scored what, which mistakes were most common, whose files did not load, whose code
erred or hit limits, and the integrity signals of the review pass."""

from __future__ import annotations

import statistics
from collections import Counter

from grader.reports.charts import histogram_svg, mini_distribution_svg
from grader.reports.class_summary import (
    ExerciseSummary,
    load_problems,
    summarize,
    troubles,
)
from grader.reports.escape import html as escape
from grader.reports.feedback_html import exercise_anchor, feedback_page
from grader.reports.gradebook import exercises_in, number
from grader.reports.heatmap import SCRIPT, heatmap
from grader.reports.html_page import page
from grader.reports.integrity_html import integrity_section
from grader.workbook.results import BatchRecord

TITLE = "CNN workbook: class report"


def _names(students: list[str], pages: dict[str, str], anchor: str = "") -> str:
    return ", ".join(f'<a href="{escape(pages[s] + anchor)}">{escape(s)}</a>' for s in students)


def _on_demand(count: int, students: list[str], pages: dict[str, str], anchor: str = "") -> str:
    """A count that opens onto the students it counts."""
    if not count:
        return "0"
    return f"<details><summary>{count}</summary>{_names(students, pages, anchor)}</details>"


def _optional(value: float | None) -> str:
    return "&ndash;" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def _exercise_table(summaries: list[ExerciseSummary], pages: dict[str, str]) -> str:
    rows = []
    for s in summaries:
        e, anchor = s.exercise, f"#{exercise_anchor(s.exercise)}"
        rows.append(
            f'<tr><td class="n">{e.number:02d}</td><td>{escape(e.title)} '
            f'<code class="small">{escape(e.id)}</code></td><td class="n">{e.points}</td>'
            f'<td class="n">{s.attempted}</td><td class="n">{s.full_marks}</td>'
            f'<td class="n">{s.failing}</td>'
            f'<td class="n">{_on_demand(s.not_attempted, s.absent, pages, anchor)}</td>'
            f'<td class="n">{_optional(s.mean)}</td><td class="n">{_optional(s.median)}</td>'
            f"<td>{mini_distribution_svg(s.scores, e.points)}</td></tr>"
        )
    return (
        '<table id="exercises"><thead><tr><th class="n">#</th><th>exercise</th>'
        '<th class="n">points</th><th class="n">attempted</th><th class="n">full marks</th>'
        '<th class="n">failing</th><th class="n">not attempted</th><th class="n">mean*</th>'
        '<th class="n">median*</th><th>scores* (0 &rarr; full)</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        '<p class="small muted">* of the students who attempted the exercise.</p>'
    )


def _mistakes(summaries: list[ExerciseSummary], pages: dict[str, str]) -> str:
    parts = []
    for s in summaries:
        anchor = f"#{exercise_anchor(s.exercise)}"
        head = f"<h3>{s.exercise.number:02d} {escape(s.exercise.title)}</h3>"
        rows = "".join(
            f'<tr><td>{escape(name)}</td><td class="n">{len(students)} '
            f"student{'s' * (len(students) != 1)}</td><td><details><summary>who</summary>"
            f"{_names(students, pages, anchor)}</details></td></tr>"
            for name, students in s.mistakes
        )
        table = (
            f'<table class="mistakes"><thead><tr><th>named mistake</th><th class="n">students'
            f"</th><th></th></tr></thead><tbody>{rows}</tbody></table>"
            if rows
            else '<p class="muted">No named mistake was diagnosed.</p>'
        )
        checks = "".join(
            f'<tr><td>{escape(name)}</td><td class="n">{len(students)}</td>'
            f"<td>{_names(students, pages, anchor)}</td></tr>"
            for name, students in s.checks
        )
        if checks:
            table += (
                f"<details><summary>checks failed by wrong answers ({len(s.checks)})</summary>"
                '<table><thead><tr><th>check</th><th class="n">students</th><th>who</th></tr>'
                f"</thead><tbody>{checks}</tbody></table></details>"
            )
        if s.mistakes or s.checks:
            parts.append(head + table)
    return "".join(parts) or '<p class="muted">No wrong answers.</p>'


def _load_errors(records, exercises, pages) -> str:
    found = load_problems(records, exercises)
    if not found:
        return "<p>None: every submitted file was read and imported.</p>"
    kinds = Counter(p.kind for p in found)
    numbers = {e.id: f"{e.number:02d} {e.id}" for e in exercises}
    order = {e.id: e.number for e in exercises}
    rows = "".join(
        f"<tr><td>{_names([p.student], pages, f'#ex-{p.exercise}' if p.exercise else '')}</td>"
        f"<td>{escape(numbers.get(p.exercise, 'all exercises'))}</td><td>{escape(p.kind)}</td>"
        f"<td><pre>{escape(p.message)}</pre></td></tr>"
        for p in sorted(found, key=lambda p: (p.kind, p.student, order.get(p.exercise, -1)))
    )
    summary = "; ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items()))
    return (
        f"<p>{len(found)} file(s) or submission(s) could not be loaded ({escape(summary)}); their "
        "checks are not counted among the wrong answers above.</p>"
        '<table id="load-errors"><thead><tr><th>student</th><th>exercise</th><th>kind</th>'
        f"<th>first line of the message</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _troubles(records, exercises, pages) -> str:
    rows = "".join(
        f"<tr><td>{_names([t.student], pages)}</td><td>{escape('; '.join(t.what))}</td>"
        f"<td><pre>{escape(chr(10).join(t.notes))}</pre></td></tr>"
        for t in troubles(records, exercises)
    )
    return (
        '<table id="trouble"><thead><tr><th>student</th><th>errors, timeouts, limits</th>'
        f"<th>notes</th></tr></thead><tbody>"
        f"{rows or '<tr><td colspan=3>none</td></tr>'}</tbody></table>"
    )


def render(records: dict[str, BatchRecord], review: dict | None = None, partial: str = "") -> str:
    """The page; `review` is OUT/review.json's content when the review pass wrote one."""
    exercises = exercises_in(records)
    max_total = sum(e.points for e in exercises)
    totals = [r.result.total for r in records.values()]
    pages = {s: feedback_page(r) for s, r in records.items()}
    summaries = [summarize(e, records) for e in exercises]
    full = sum(t >= max_total for t in totals)
    facts = [
        ("submissions", len(records)),
        (f"mean total (of {max_total})", f"{statistics.mean(totals):.2f}" if totals else "-"),
        ("median total", f"{number(statistics.median(totals))}" if totals else "-"),
        ("full marks on everything", full),
        ("files that did not load", len(load_problems(records, exercises))),
    ]
    rows = "".join(f'<tr><td>{k}</td><td class="n">{v}</td></tr>' for k, v in facts)
    banner = (
        f'<p class="partial"><strong>Partial: {escape(partial)}.</strong></p>' if partial else ""
    )
    nav = " &middot; ".join(
        f'<a href="#{a}">{t}</a>'
        for a, t in (
            ("per-exercise", "per exercise"),
            ("students", "students &times; exercises"),
            ("mistakes", "common mistakes"),
            ("loading", "load errors"),
            ("errors", "errors and limits"),
            ("integrity", "integrity signals"),
        )
    )
    body = (
        f'{banner}<h1>{TITLE}</h1><p class="small">{nav}</p>'
        f'<div class="top"><table class="facts">{rows}</table>'
        f"<div>{histogram_svg(totals, max_total)}</div></div>"
        f'<h2 id="per-exercise">Per exercise</h2>{_exercise_table(summaries, pages)}'
        f'<h2 id="students">Students &times; exercises</h2>{heatmap(records, exercises)}'
        '<h2 id="mistakes">Most common named mistakes, by students</h2>'
        f"{_mistakes(summaries, pages)}"
        '<h2 id="loading">Load errors (files that could not be read or imported)</h2>'
        f"{_load_errors(records, exercises, pages)}"
        f'<h2 id="errors">Errors, timeouts and limits while checks ran</h2>'
        f"{_troubles(records, exercises, pages)}"
        f"{integrity_section(review, pages)}"
    )
    return page(TITLE, body, SCRIPT)

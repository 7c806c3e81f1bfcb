"""`report.html`: one self-contained page that answers an instructor's questions (no network;
charts as inline SVG, sorting and filtering as inline script): how the class did on each
exercise, who scored what, which mistakes were most common, whose files did not load, whose code
erred or hit limits, and the integrity signals of the review pass."""

from __future__ import annotations

import statistics

from grader.reports.charts import histogram_svg, mini_distribution_svg
from grader.reports.class_sections import (
    load_errors_section,
    mistakes_section,
    not_attempted_section,
    troubles_section,
)
from grader.reports.class_summary import ExerciseSummary, load_problems, summarize, troubles
from grader.reports.escape import html as escape
from grader.reports.feedback_html import feedback_page
from grader.reports.gradebook import exercises_in, number
from grader.reports.heatmap import SCRIPT, heatmap
from grader.reports.html_page import page
from grader.reports.integrity_html import TITLE as INTEGRITY_TITLE
from grader.reports.integrity_html import integrity_section, integrity_summary
from grader.workbook.results import BatchRecord

TITLE = "CNN workbook: class report"


def _absent(s: ExerciseSummary) -> str:
    """The count, a link to the names (in the "did not attempt" section)."""
    return f'<a href="#absent-{escape(s.exercise.id)}">{s.not_attempted}</a>' if s.absent else "0"


def _optional(value: float | None) -> str:
    return "&ndash;" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def _exercise_table(summaries: list[ExerciseSummary]) -> str:
    rows = []
    for s in summaries:
        e = s.exercise
        rows.append(
            f'<tr><td class="n">{e.number:02d}</td><td>'
            f'<a href="#mistakes-{escape(e.id)}">{escape(e.title)}</a> '
            f'<code class="small">{escape(e.id)}</code></td><td class="n">{e.points}</td>'
            f'<td class="n">{s.attempted}</td><td class="n">{s.full_marks}</td>'
            f'<td class="n">{s.failing}</td>'
            f'<td class="n">{_absent(s)}</td>'
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


def _contents(summaries: list[ExerciseSummary], counts: dict[str, str]) -> str:
    """Jump links to every section, each with what it holds, and per exercise to its mistakes
    and to who did not attempt it: the three questions are one press from the top."""
    sections = "".join(
        f'<li><a href="#{anchor}">{title}</a> <span class="muted">{escape(counts.get(anchor, ""))}'
        "</span></li>"
        for anchor, title in SECTIONS
    )
    rows = "".join(
        f"<tr><td>{s.exercise.number:02d} {escape(s.exercise.title)}</td>"
        f'<td><a href="#mistakes-{escape(s.exercise.id)}">mistakes</a></td>'
        f'<td><a href="#absent-{escape(s.exercise.id)}">not attempted: {s.not_attempted}</a>'
        "</td></tr>"
        for s in summaries
    )
    return (
        f'<nav class="toc" aria-label="contents"><ol>{sections}</ol>'
        f'<table class="jump small"><tbody>{rows}</tbody></table></nav>'
    )


SECTIONS = (
    ("per-exercise", "Per exercise"),
    ("mistakes", "Most common mistakes"),
    ("absent", "Who did not attempt each exercise"),
    ("integrity", "Similar pairs and integrity flags"),
    ("loading", "Load errors"),
    ("errors", "Errors, timeouts and limits"),
    ("students", "Students &times; exercises"),
)


def _troubled(found: list) -> str:
    erred = sum(bool(t.what) for t in found)
    noted = len(found) - erred
    return f"{erred} students" + (f" (and {noted} intake notes)" if noted else "")


def _h2(anchor: str, title: str) -> str:
    return f'<h2 id="{anchor}">{title} <a class="up small" href="#top">contents</a></h2>'


def render(records: dict[str, BatchRecord], review: dict | None = None, partial: str = "") -> str:
    """The page; `review` is OUT/review.json's content when the review pass wrote one."""
    exercises = exercises_in(records)
    max_total = sum(e.points for e in exercises)
    totals = [r.result.total for r in records.values()]
    pages = {s: feedback_page(r) for s, r in records.items()}
    summaries = [summarize(e, records) for e in exercises]
    full = sum(t >= max_total for t in totals)
    loading = len(load_problems(records, exercises))
    facts = [
        ("submissions", len(records)),
        (f"mean total (of {max_total})", f"{statistics.mean(totals):.2f}" if totals else "-"),
        ("median total", f"{number(statistics.median(totals))}" if totals else "-"),
        ("full marks on everything", full),
        ("files that did not load", loading),
    ]
    rows = "".join(f'<tr><td>{k}</td><td class="n">{v}</td></tr>' for k, v in facts)
    banner = (
        f'<p class="partial"><strong>Partial: {escape(partial)}.</strong></p>' if partial else ""
    )
    counts = {
        "mistakes": f"{sum(len(s.mistakes) for s in summaries)} named mistakes",
        "integrity": integrity_summary(review),
        "loading": f"{loading}",
        "errors": _troubled(troubles(records, exercises)),
        "students": f"{len(records)} rows, sortable",
    }
    body = (
        f'{banner}<h1 id="top">{TITLE}</h1>'
        f'<div class="top"><table class="facts">{rows}</table>'
        f"<div>{histogram_svg(totals, max_total)}</div>{_contents(summaries, counts)}</div>"
        f"{_h2('per-exercise', 'Per exercise')}{_exercise_table(summaries)}"
        f"{_h2('mistakes', 'Most common named mistakes, by students')}"
        f"{mistakes_section(summaries, pages)}"
        f"{_h2('absent', 'Who did not attempt each exercise')}"
        f"{not_attempted_section(summaries, records, pages)}"
        f"{integrity_section(review, pages, _h2('integrity', escape(INTEGRITY_TITLE)))}"
        f"{_h2('loading', 'Load errors (files that could not be read or imported)')}"
        f"{load_errors_section(records, exercises, pages)}"
        f"{_h2('errors', 'Errors, timeouts and limits while checks ran')}"
        f"{troubles_section(records, exercises, pages)}"
        f"{_h2('students', 'Students &times; exercises')}{heatmap(records, exercises)}"
    )
    return page(TITLE, body, SCRIPT)

"""`grader check --html`: the results as one self-contained page (inline CSS and SVG, no script,
nothing fetched), each exercise with its failed checks' messages and the checks' pictures: heat
maps of expected, yours and the difference, filters on a digit, the confusion matrix, the
held-out digits. All text from the learner's code is escaped."""

from __future__ import annotations

from grader.reports.causes import causes
from grader.reports.escape import html as escape
from grader.reports.figures_html import STYLE, figure_html
from grader.reports.html_page import exercise_heading, page
from grader.workbook.catalog import Exercise
from grader.workbook.results import CheckResult, ExerciseResult, ExerciseStatus, SubmissionResult


def _points(value: float) -> str:
    return f"{value:g}"


def check_section(check: CheckResult, show_message: bool = True) -> str:
    """One check: its name, status and points, its message and printed output, its figures."""
    status = "ok" if check.passed else "bad"
    parts = [
        f'<h3>{escape(check.name)} <span class="{status} small">{check.status.label}, '
        f"{_points(check.score)} / {_points(check.max_score)}</span></h3>"
    ]
    if show_message and check.message.strip():
        parts.append(f"<pre>{escape(check.message)}</pre>")
    if check.output.strip():
        parts.append(
            "<details><summary>what your code printed</summary>"
            f"<pre>{escape(check.output)}</pre></details>"
        )
    parts.extend(figure_html(f) for f in check.figures)
    return "".join(parts)


def exercise_section(exercise: Exercise, result: ExerciseResult) -> str:
    """One exercise's part of the page (a notebook's check() shows it alone, inline)."""
    head = exercise_heading(
        f"ex-{exercise.id}", exercise.number, exercise.title, result.score, exercise.points
    )
    if result.status is ExerciseStatus.NOT_ATTEMPTED:
        return f'{head}<p class="muted">Not attempted.</p>'
    passed = sum(c.passed for c in result.checks)
    parts = [head, f"<p>{passed} of {len(result.checks)} checks passed.</p>"]
    for cause in causes(result):  # a cause several checks share is said once
        if not cause.shared:
            parts.append(check_section(cause.checks[0]))
            continue
        cost = ", ".join(
            f"<code>{escape(c.name)}</code> ({_points(c.score)} / {_points(c.max_score)})"
            for c in cause.checks
        )
        parts.append(
            f'<h3>One cause, {len(cause.checks)} checks <span class="bad small">'
            f"{cause.checks[0].status.label}, {_points(cause.score)} / "
            f"{_points(cause.max_score)}</span></h3><pre>{escape(cause.text)}</pre>"
            f"<p>It cost: {cost}.</p>"
            + (f"<pre>{escape(cause.evidence)}</pre>" if cause.evidence.strip() else "")
            + "".join(figure_html(f) for c in cause.checks for f in c.figures)
        )
    parts.extend(check_section(c) for c in result.checks if c.passed and c.figures)
    return "".join(parts)


def check_page(result: SubmissionResult, exercises: list[Exercise], where: str) -> str:
    """The whole page for `grader check --html`; `where` names the submission checked."""
    rows = "".join(
        f'<tr><td class="n">{e.number:02d}</td><td><a href="#ex-{escape(e.id)}">'
        f"{escape(e.title)}</a></td>"
        f'<td class="n">{_points(result.exercises[e.id].score)} / {e.points}</td>'
        f"<td>{result.exercises[e.id].status.value}</td></tr>"
        for e in exercises
    )
    total = sum(e.points for e in exercises)
    score = sum(result.exercises[e.id].score for e in exercises)
    body = (
        "<h1>grader check</h1>"
        f'<p class="muted small">{escape(where)}</p>'
        f"<p><strong>Total: {_points(score)} / {total} points</strong></p>"
        '<table><thead><tr><th class="n">#</th><th>exercise</th><th class="n">score</th>'
        f"<th>status</th></tr></thead><tbody>{rows}</tbody></table>"
        '<p class="small muted">In the heat maps, orange is positive and blue negative; a cell '
        "outlined in black differs from the expected value.</p>"
        + "".join(exercise_section(e, result.exercises[e.id]) for e in exercises)
    )
    return page("grader check", body, extra_style=STYLE)

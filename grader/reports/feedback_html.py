"""A student's feedback as an HTML page (OUT/feedback/<key>.html beside the Markdown file), made
from the same record as the Markdown, with an anchor per exercise for the report's links."""

from __future__ import annotations

from urllib.parse import quote

from grader.reports.causes import causes
from grader.reports.escape import html as escape
from grader.reports.feedback import public_message
from grader.reports.figures_html import STYLE as FIGURE_STYLE
from grader.reports.figures_html import figure_html
from grader.reports.gradebook import exercises_in, number
from grader.reports.html_page import exercise_heading, page
from grader.reports.roster import feedback_file
from grader.workbook.catalog import Exercise
from grader.workbook.results import BatchRecord, ExerciseStatus


def feedback_page(record: BatchRecord) -> str:
    """The page's path relative to OUT: the Markdown file's safe name (the record's key)."""
    return quote(feedback_file(record).removesuffix(".md") + ".html")


def exercise_anchor(exercise: Exercise) -> str:
    return f"ex-{exercise.id}"


def _exercise_section(record: BatchRecord, e: Exercise) -> str:
    mine = record.result.exercises[e.id]
    failed = [c for c in mine.checks if not c.passed]
    head = exercise_heading(exercise_anchor(e), e.number, e.title, mine.score, e.points)
    if mine.status is ExerciseStatus.NOT_ATTEMPTED:
        reason = failed[0].message.strip().splitlines()[0] if failed and failed[0].message else ""
        return f"{head}<p>Not attempted: {escape(reason) or 'no checks ran'}</p>"
    pictures = "".join(
        f"<h3>{escape(c.name)}</h3>" + "".join(figure_html(f) for f in c.figures)
        for c in mine.checks
        if c.figures  # a graded run keeps those of public checks only
    )
    if not failed:
        return f'{head}<p class="ok">Every check passed.</p>{pictures}'
    counts: dict[str, int] = {}
    for check in mine.checks:
        counts[check.status.label] = counts.get(check.status.label, 0) + 1
    parts = [head, "<p>Checks: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + ".</p>"]
    for cause in causes(mine):  # a cause several checks share is said once
        first = cause.checks[0]
        if not cause.shared:
            parts.append(
                f'<h3>{escape(first.name)} <span class="muted small">({first.status.label}, '
                f"{number(first.score)} / {number(first.max_score)})</span></h3>"
                f"<pre>{escape(public_message(first))}</pre>"
            )
            continue
        cost = ", ".join(
            f"<code>{escape(c.name)}</code> ({number(c.score)} / {number(c.max_score)})"
            for c in cause.checks
        )
        evidence = cause.evidence
        parts.append(
            f'<h3>One cause, {len(cause.checks)} checks <span class="muted small">'
            f"({first.status.label}, {number(cause.score)} / {number(cause.max_score)})</span></h3>"
            f"<pre>{escape(cause.text)}</pre><p>It cost: {cost}.</p>"
            + (
                f"<p>What <code>{escape(first.name)}</code> saw:</p><pre>{escape(evidence)}</pre>"
                if evidence.strip()
                else ""
            )
        )
    parts.append(pictures)
    parts.append(
        f"<p><strong>Hint:</strong> {escape(e.hints[0])} (tutorial: {escape(e.section)})</p>"
    )
    return "".join(parts)


def feedback_html(record: BatchRecord) -> str:
    """The page: the total, the intake's notes, a table of exercises linking to their sections,
    then each exercise's failed checks with their messages (hidden checks without their inputs)."""
    result = record.result
    exercises = exercises_in({record.student: record})
    total = sum(e.points for e in exercises)
    notes = "".join(f'<p class="partial">Note: {escape(n)}</p>' for n in record.notes)
    rows = "".join(
        f'<tr><td class="n">{e.number:02d}</td><td><a href="#{exercise_anchor(e)}">'
        f"{escape(e.title)}</a> <code>{escape(e.id)}</code></td>"
        f'<td class="n">{number(result.exercises[e.id].score)} / {e.points}</td>'
        f"<td>{result.exercises[e.id].status.value}</td></tr>"
        for e in exercises
    )
    body = (
        '<p class="small"><a href="../report.html">class report</a> &middot; '
        f'<a href="{escape(quote(record.key))}.md">this feedback as Markdown</a></p>'
        f"<h1>Feedback for {escape(record.student)}</h1>"
        f"<p><strong>Total: {number(result.total)} / {number(total)} points</strong></p>{notes}"
        '<table><thead><tr><th class="n">#</th><th>exercise</th><th class="n">score</th>'
        f"<th>status</th></tr></thead><tbody>{rows}</tbody></table>"
        + "".join(_exercise_section(record, e) for e in exercises)
    )
    return page(f"Feedback for {record.student}", body, extra_style=FIGURE_STYLE)

"""The report's answers to "which mistakes were most common in each exercise", "who did not
attempt it", "whose files did not load" and "whose code erred or hit limits", as HTML sections
made for a class of a hundred or more: an overview first, the detail per exercise below it, long
lists of names in columns and folded when they would fill a screen."""

from __future__ import annotations

from collections import Counter

from grader.reports.class_summary import (
    ExerciseSummary,
    load_problems,
    troubles,
    unreadable_submission,
)
from grader.reports.escape import html as escape
from grader.reports.feedback_html import exercise_anchor
from grader.workbook.catalog import Exercise
from grader.workbook.results import BatchRecord

FOLD = 40  # names shown at once; a longer list opens on demand


def _order(students: list[str]) -> list[str]:
    return sorted(students, key=lambda s: (s.casefold(), s))


def names(students: list[str], pages: dict[str, str], anchor: str = "") -> str:
    """Links to the students' feedback pages, comma-separated, in alphabetical order."""
    return ", ".join(
        f'<a href="{escape(pages[s] + anchor)}">{escape(s)}</a>' for s in _order(students)
    )


def name_list(
    students: list[str], pages: dict[str, str], anchor: str = "", tags: dict[str, str] | None = None
) -> str:
    """The students as a list in columns (alphabetical, so a name is found by eye), folded
    behind a <details> when longer than `FOLD`; `tags` adds a note after a name."""
    tags = tags or {}
    items = "".join(
        f'<li><a href="{escape(pages[s] + anchor)}">{escape(s)}</a>'
        + (f' <span class="muted small">({escape(tags[s])})</span>' if s in tags else "")
        + "</li>"
        for s in _order(students)
    )
    listed = f'<ul class="names">{items}</ul>'
    if len(students) <= FOLD:
        return listed
    return f"<details><summary>show the {len(students)} names</summary>{listed}</details>"


def _share(count: int, of: int) -> str:
    return f"{count} of {of}" if of else str(count)


def mistakes_overview(summaries: list[ExerciseSummary]) -> str:
    """One row per exercise: its most common named mistake and how many students made it."""
    rows = []
    for s in summaries:
        e = s.exercise
        link = f'<a href="#mistakes-{escape(e.id)}">{e.number:02d} {escape(e.title)}</a>'
        wrong = s.failing - len(s.unloaded)
        if s.mistakes:
            name, students = s.mistakes[0]
            top = f'<td>{escape(name)}</td><td class="n">{len(students)}</td>'
        else:
            top = '<td class="muted">none named</td><td class="n">&ndash;</td>'
        rows.append(
            f'<tr data-exercise="{escape(e.id)}"><td>{link}</td>{top}'
            f'<td class="n">{max(len(s.mistakes) - 1, 0)}</td>'
            f'<td class="n">{len(s.unnamed)}</td>'
            f'<td class="n">{_share(wrong, s.attempted)}</td></tr>'
        )
    return (
        '<table id="top-mistakes"><thead><tr><th>exercise</th><th>most common named mistake</th>'
        '<th class="n">students</th><th class="n">other named mistakes</th>'
        '<th class="n">wrong, none named</th><th class="n">wrong answers of attempters</th></tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
        '<p class="small muted">Students are counted once per mistake, however many checks show '
        "it; files that did not load are not wrong answers (they are listed below).</p>"
    )


def _wordings(s: ExerciseSummary, name: str) -> str:
    n = s.wordings.get(name)
    return f' <span class="muted small">({n} wordings, their numbers differ)</span>' if n else ""


def _mistakes_of(s: ExerciseSummary, pages: dict[str, str]) -> str:
    anchor = f"#{exercise_anchor(s.exercise)}"
    rows = "".join(
        f'<tr><td>{escape(name)}{_wordings(s, name)}</td><td class="n">{len(students)}</td>'
        f"<td><details><summary>who</summary>{names(students, pages, anchor)}</details></td></tr>"
        for name, students in s.mistakes
    )
    if s.unnamed:
        rows += (
            '<tr><td class="muted">a wrong answer, no mistake named</td>'
            f'<td class="n">{len(s.unnamed)}</td><td><details><summary>who</summary>'
            f"{names(s.unnamed, pages, anchor)}</details></td></tr>"
        )
    table = (
        '<table class="mistakes"><thead><tr><th>named mistake</th><th class="n">students</th>'
        f"<th>who</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    checks = "".join(
        f'<tr><td>{escape(name)}</td><td class="n">{len(students)}</td>'
        f"<td>{names(students, pages, anchor)}</td></tr>"
        for name, students in s.checks
    )
    if checks:
        table += (
            f"<details><summary>checks failed by wrong answers ({len(s.checks)})</summary>"
            '<table><thead><tr><th>check</th><th class="n">students</th><th>who</th></tr>'
            f"</thead><tbody>{checks}</tbody></table></details>"
        )
    return table


def mistakes_section(summaries: list[ExerciseSummary], pages: dict[str, str]) -> str:
    """The overview, then per exercise every named mistake with its students."""
    parts = [mistakes_overview(summaries)]
    for s in summaries:
        e = s.exercise
        head = f'<h3 id="mistakes-{escape(e.id)}">{e.number:02d} {escape(e.title)}</h3>'
        if s.mistakes or s.unnamed:
            parts.append(head + _mistakes_of(s, pages))
        else:
            parts.append(f'{head}<p class="muted">No wrong answers.</p>')
    return "".join(parts)


def not_attempted_section(
    summaries: list[ExerciseSummary], records: dict[str, BatchRecord], pages: dict[str, str]
) -> str:
    """Per exercise, the names of those who did not attempt it (a stub, no file, or a
    submission that could not be read at all, which is marked)."""
    unreadable = {
        s: "submission unreadable" for s, r in records.items() if unreadable_submission(r)
    }
    parts = []
    for s in summaries:
        e = s.exercise
        told = (
            f"{_share(s.not_attempted, len(records))} students did not attempt it"
            if s.absent
            else "every student attempted it"
        )
        head = f'<h3 id="absent-{escape(e.id)}">{e.number:02d} {escape(e.title)}: {told}</h3>'
        anchor = f"#{exercise_anchor(e)}"
        parts.append(head + (name_list(s.absent, pages, anchor, unreadable) if s.absent else ""))
    return "".join(parts)


def load_errors_section(
    records: dict[str, BatchRecord], exercises: list[Exercise], pages: dict[str, str]
) -> str:
    found = load_problems(records, exercises)
    if not found:
        return "<p>None: every submitted file was read and imported.</p>"
    kinds = Counter(p.kind for p in found)
    numbers = {e.id: f"{e.number:02d} {e.id}" for e in exercises}
    order = {e.id: e.number for e in exercises}
    rows = "".join(
        f"<tr><td>{names([p.student], pages, f'#ex-{p.exercise}' if p.exercise else '')}</td>"
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


def _trouble_rows(found: list, pages: dict[str, str]) -> str:
    return "".join(
        f"<tr><td>{names([t.student], pages)}</td><td>{escape('; '.join(t.what))}</td>"
        f"<td><pre>{escape(chr(10).join(t.notes))}</pre></td></tr>"
        for t in found
    )


def troubles_section(
    records: dict[str, BatchRecord], exercises: list[Exercise], pages: dict[str, str]
) -> str:
    """Students whose code erred, timed out or hit a limit; below them, folded, those with only
    a note from intake (which files were graded): on a class of a hundred, mostly the zips."""
    found = troubles(records, exercises)
    erred = [t for t in found if t.what]
    noted = [t for t in found if not t.what]
    head = "<tr><th>student</th><th>errors, timeouts, limits</th><th>notes</th></tr>"
    table = (
        f'<table id="trouble"><thead>{head}</thead><tbody>'
        f"{_trouble_rows(erred, pages) or '<tr><td colspan=3>none</td></tr>'}</tbody></table>"
    )
    if noted:
        table += (
            f"<details><summary>intake notes only ({len(noted)})</summary>"
            f'<table id="notes"><thead>{head}</thead><tbody>{_trouble_rows(noted, pages)}</tbody>'
            "</table></details>"
        )
    return table

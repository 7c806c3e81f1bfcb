"""The small report written beside an LMS export (and shown on stderr): how many students were
matched and how, who is in the gradebook but not on the roster, who is on the roster without a
submission, which matches were ambiguous, and what to do on the site. Plain text; every name
from a roster or a submission is shown with its control characters as escapes."""

from __future__ import annotations

from collections import Counter

from grader.exports.lms.roster_file import Roster
from grader.exports.lms.roster_match import Join
from grader.reports.escape import terminal
from grader.reports.gradebook import number

# What an empty cell means on each site, and how to import the file there.
NO_SUBMISSION = {
    "canvas": "an empty cell is how Canvas itself shows an assignment with no submission (the "
    "Gradebook's '-'): Final Score counts it as 0, Current Score leaves it out, and a "
    "missing-submission policy or 'EX' stays the instructor's choice",
    "moodle": "an empty grade is Moodle's 'no grade' (its own export writes '-'; the import "
    "clears a grade entered by hand), and the category's 'Exclude empty grades' setting decides "
    "whether it counts as 0",
    "blackboard": "an empty cell leaves the Grade Center's cell without a grade ('-'), as for a "
    "student who made no attempt, rather than a 0 the instructor did not give",
}
HOW_TO_IMPORT = {
    "canvas": "Canvas: Grades > Import > choose this file; a new assignment is created with the "
    "Points Possible row's points, an existing one (Title (id)) is updated.",
    "moodle": "Moodle: Grades > Import > CSV file; map 'Email address' (or 'ID number') to the "
    "user field, the grade column to the grade item (or a new one) and the feedback column to "
    "its feedback.",
    "blackboard": "Blackboard: Grade Center > Work Offline > Upload (delimiter Auto); a column "
    "without |colid is created, one with it is updated.",
}


def _name(text: str) -> str:
    return terminal(text, keep_newlines=False)


def _roster_name(roster: Roster, row: list[str], columns: tuple[str, ...]) -> str:
    cells = [roster.cell(row, roster.column(c)) for c in columns]
    return " / ".join(_name(c) for c in cells if c) or "(a row with no name)"


def export_report(
    site: str,
    out_name: str,
    roster: Roster,
    join: Join,
    column: str,
    points: float,
    max_total: float,
    missing: str,
    name_columns: tuple[str, ...],
    partial: str = "",
) -> str:
    """The report's text; its first lines are the summary shown on stderr."""
    how = Counter(step for _, step in join.matched.values())
    lines = [
        f"{site.capitalize()} export: {out_name}, column {_name(column)!r} out of "
        f"{number(points)} (the gradebook's totals are out of {number(max_total)})",
        f"matched {len(join.matched)} of {len(roster.rows)} roster rows"
        + (" (" + ", ".join(f"{n} by {step}" for step, n in how.items()) + ")" if how else ""),
        f"{len(join.unmatched)} graded student(s) not on the roster, "
        f"{len(join.missing)} roster student(s) without a submission, "
        f"{len(join.ambiguous)} ambiguous",
    ]
    if partial:
        lines.append(f"warning: the gradebook is partial ({_name(partial)})")
    if points != max_total:
        lines.append(
            f"grades are scaled from {number(max_total)} to {number(points)} points "
            "(the column's points; --points sets them)"
        )
    if join.unmatched:
        lines += ["", "In the gradebook, not on the roster (not written to the file):"]
        lines += [
            f"  {_name(g.student)}" + (f" (site id {_name(g.site_id)})" if g.site_id else "")
            for g in join.unmatched
        ]
    if join.ambiguous:
        lines += ["", "Ambiguous (not written; match them by hand):"]
        lines += [f"  {_name(g.student)}: {_name(reason)}" for g, reason in join.ambiguous]
    if join.missing:
        cell = "0" if missing == "0" else "an empty cell"
        lines += ["", f"On the roster, no submission (written as {cell}):"]
        lines += [f"  {_roster_name(roster, roster.rows[i], name_columns)}" for i in join.missing]
    lines += ["", f"No submission: {NO_SUBMISSION[site]}.", HOW_TO_IMPORT[site]]
    return "\n".join(lines) + "\n"

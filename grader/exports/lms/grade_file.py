"""Grade files a course site imports: the roster's own identity columns, copied as the site wrote
them, and one grade column. Canvas's Gradebook import, Moodle's "Import grades from CSV" and
Blackboard's Grade Center upload each read a file shaped like their own export."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from grader.exports.lms.roster_file import Roster, RosterError
from grader.exports.lms.roster_match import BLACKBOARD, CANVAS, MOODLE, Join, Site
from grader.reports.escape import csv_cell
from grader.reports.gradebook import number

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# Canvas's identity columns: the ones a Gradebook export has before its first assignment.
CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Integration ID", "Section")
_CANVAS_EXISTING = re.compile(r"^(?P<title>.*\S)\s*\((?P<id>\d+)\)$")
_BLACKBOARD_EXISTING = re.compile(r"^(?P<title>.*?)\s*\[Total Pts:\s*(?P<points>[\d.]+)[^\]]*\]")


@dataclass(frozen=True)
class Column:
    """The grade column: its header, what it is out of, and whether the site already has it."""

    header: str
    points: float
    existing: bool


def roster_value(text: str) -> str:
    """A roster's own cell: the site's value, unchanged, unless a spreadsheet would run it."""
    return str(csv_cell(text)) if text.startswith(_FORMULA) else text


def scaled(total: float, max_total: float, points: float) -> int | float:
    """The gradebook's total on the column's scale, to two decimals."""
    if not max_total or points == max_total:
        return number(total)
    return number(round(total * points / max_total, 2))


def _matching(roster: Roster, pattern: re.Pattern, title: str) -> list[tuple[str, re.Match]]:
    found = [(h, pattern.match(h)) for h in roster.header]
    return [(h, m) for h, m in found if m and m["title"].strip().casefold() == title.casefold()]


def _one(found: list, title: str) -> tuple | None:
    if len(found) > 1:
        names = "; ".join(h for h, _ in found)
        raise RosterError(f"the roster has {len(found)} columns titled {title!r} ({names})")
    return found[0] if found else None


def canvas_column(roster: Roster, title: str, points: float | None, max_total: float) -> Column:
    """`Title (id)` when the roster already has the assignment (its points from the Points
    Possible row), else a new `Title` that Canvas creates with the Points Possible given."""
    existing = _one(_matching(roster, _CANVAS_EXISTING, title), title)
    if existing is None:
        return Column(title, points or max_total, False)
    header = existing[0]
    index = roster.header.index(header)
    on_site = None
    for row in roster.preamble:
        try:
            on_site = float(row[index])
        except (IndexError, ValueError):
            continue
    return Column(header, points or on_site or max_total, True)


def blackboard_column(roster: Roster, title: str, points: float | None, max_total: float) -> Column:
    """The roster's `Title [Total Pts: N Score] |colid` when it has one, else a new column
    without the `|colid` (Blackboard adds it once the column exists)."""
    existing = _one(_matching(roster, _BLACKBOARD_EXISTING, title), title)
    if existing is None:
        out_of = points or max_total
        return Column(f"{title} [Total Pts: {number(out_of)} Score]", out_of, False)
    header, match = existing
    return Column(header, points or float(match["points"]), True)


def _identity(roster: Roster, names: tuple[str, ...]) -> list[int]:
    """The roster's columns among `names`, in the roster's order."""
    wanted = {n.casefold() for n in names}
    indexes = [i for i, h in enumerate(roster.header) if h.strip().casefold() in wanted]
    if not indexes:
        raise RosterError(
            "the roster has none of the columns that say who a student is ("
            + ", ".join(names)
            + "): export it from the course site's gradebook"
        )
    return indexes


def _grades(join: Join, roster: Roster, max_total: float, points: float, missing: str) -> list:
    """The grade cell of each roster row: the scaled total, `missing` for no submission, empty for
    a row an ambiguous match pointed at."""
    cells: list = [missing] * len(roster.rows)
    for index in join.contested:
        cells[index] = ""  # an ambiguous row is left for the instructor, never given a 0
    for index, (graded, _) in join.matched.items():
        cells[index] = scaled(graded.total, max_total, points)
    return cells


def _write(rows: list[list], quote_all: bool = False) -> str:
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    csv.writer(buffer, lineterminator="\r\n", quoting=quoting).writerows(rows)
    return buffer.getvalue()


def canvas_csv(roster: Roster, join: Join, column: Column, max_total: float, missing: str) -> str:
    """Canvas's Gradebook CSV: its identity columns as exported, the assignment column, and the
    Points Possible row under the header (the Manual Posting row is left out: it is read-only)."""
    ids = _identity(roster, CANVAS_IDENTITY)
    grades = _grades(join, roster, max_total, column.points, missing)
    rows: list[list] = [[roster.header[i] for i in ids] + [column.header]]
    rows.append(["    Points Possible"] + [""] * (len(ids) - 1) + [number(column.points)])
    for row, grade in zip(roster.rows, grades):
        rows.append([roster_value(roster.cell(row, i)) for i in ids] + [grade])
    return _write(rows)


def moodle_feedback(graded_exercises: dict, max_scores: dict) -> str:
    """One line per exercise, the grader's own words only (no student text)."""
    parts = [
        f"{exercise}: {number(data.get('score', 0))}/{number(max_scores.get(exercise, 0))}"
        for exercise, data in graded_exercises.items()
    ]
    return "; ".join(parts)


def moodle_csv(
    roster: Roster,
    join: Join,
    title: str,
    points: float,
    max_total: float,
    missing: str,
    feedback: dict[str, str],
) -> str:
    """For Moodle's "Import grades from CSV": the roster's identity columns (map by `Email
    address` or `ID number`), the grade on the grade item's scale, and a feedback column."""
    ids = _identity(roster, MOODLE.identity_columns())
    grades = _grades(join, roster, max_total, points, missing)
    rows: list[list] = [[roster.header[i] for i in ids] + [title, f"{title} (feedback)"]]
    for index, (row, grade) in enumerate(zip(roster.rows, grades)):
        graded = join.matched.get(index)
        if graded:
            note = feedback.get(graded[0].student, "")
        else:
            note = "" if index in join.contested else "no submission"
        rows.append([roster_value(roster.cell(row, i)) for i in ids] + [grade, csv_cell(note)])
    return _write(rows)


def blackboard_csv(
    roster: Roster, join: Join, column: Column, max_total: float, missing: str
) -> str:
    """Blackboard's Grade Center upload: every cell quoted (its rule for comma-delimited files),
    `Username` to find the student, and the assignment column."""
    ids = _identity(roster, BLACKBOARD.identity_columns())
    if roster.column(*BLACKBOARD.login) is None:
        raise RosterError("the roster has no Username column: Blackboard finds students by it")
    grades = _grades(join, roster, max_total, column.points, missing)
    rows: list[list] = [[roster.header[i] for i in ids] + [column.header]]
    for row, grade in zip(roster.rows, grades):
        rows.append([roster_value(roster.cell(row, i)) for i in ids] + [grade])
    return _write(rows, quote_all=True)


def require_identity(roster: Roster, site: Site) -> None:
    """RosterError unless the roster has a column the site's import finds students by."""
    needed = {
        CANVAS.name: CANVAS_IDENTITY,
        MOODLE.name: MOODLE.email + MOODLE.sis + MOODLE.login,
        BLACKBOARD.name: BLACKBOARD.login,
    }[site.name]
    if roster.column(*needed) is None:
        raise RosterError(
            f"the roster has none of {', '.join(needed)}: {site.name.capitalize()}'s import "
            "finds students by these; export the roster from the course's gradebook"
        )

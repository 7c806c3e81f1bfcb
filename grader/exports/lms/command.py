"""`grader export canvas|moodle|blackboard OUT_FILE --gradebook OUT --roster ROSTER.csv`: the
gradebook joined with the roster the course site exported, written as the file that site
imports, with a report beside it (OUT_FILE's name + `.report.txt`) and its summary on stderr.
Exit code 2 only for input that cannot be used; unmatched students are reported, not fatal."""

from __future__ import annotations

import json
from pathlib import Path

import click

from grader.commands.preflight import InputError
from grader.exports.lms.grade_file import (
    blackboard_column,
    blackboard_csv,
    canvas_column,
    canvas_csv,
    moodle_csv,
    moodle_feedback,
    require_identity,
)
from grader.exports.lms.report import export_report
from grader.exports.lms.roster_file import RosterError, read_roster
from grader.exports.lms.roster_match import SITES, Graded, join
from grader.workbook.files import atomic_write

MOODLE_POINTS = 100.0  # Moodle refuses imported grades above 100 unless unlimitedgrades is on
NAME_COLUMNS = {
    "canvas": ("Student", "SIS Login ID"),
    "moodle": ("First name", "Last name", "Email address"),
    "blackboard": ("Last Name", "First Name", "Username"),
}


def read_gradebook(folder: Path) -> dict:
    """grades.json of `grader grade --out FOLDER`, checked for the keys the export reads."""
    path = folder / "grades.json" if folder.is_dir() else folder
    try:
        book = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(
            f"--gradebook: {path} cannot be read ({exc.strerror}); give the folder "
            "`grader grade --out` wrote"
        ) from None
    except ValueError as exc:
        raise InputError(f"--gradebook: {path} is not JSON ({exc})") from None
    if not isinstance(book, dict) or not isinstance(book.get("students"), list):
        raise InputError(f"--gradebook: {path} has no list of students")
    try:
        float(book["max_total"])
        for row in book["students"]:
            str(row["student"]), float(row["total"])
    except (KeyError, TypeError, ValueError):
        raise InputError(f"--gradebook: {path} is not a grader gradebook") from None
    return book


def graded_students(book: dict) -> list[Graded]:
    return [
        Graded(
            str(row["student"]),
            float(row.get("final_total", row["total"])),  # after a late penalty, if any
            str(row.get("site") or ""),
            str(row.get("site_id") or ""),
            str(row.get("name") or ""),
        )
        for row in book["students"]
    ]


def report_path(out_file: Path) -> Path:
    return out_file.with_name(out_file.name + ".report.txt")


def run_lms_export(
    site_name: str,
    out_file: Path,
    gradebook: Path,
    roster_path: Path,
    title: str,
    points: float | None,
    missing: str,
) -> None:
    """Write the site's import file and the report; summary and lists on stderr."""
    site = SITES[site_name]
    book = read_gradebook(gradebook)
    max_total = float(book["max_total"])
    missing_cell = "0" if missing == "zero" else ""
    try:
        roster = read_roster(roster_path)
        require_identity(roster, site)
        students = graded_students(book)
        joined = join(students, roster, site)
        if site_name == "canvas":
            column = canvas_column(roster, title, points, max_total)
            text = canvas_csv(roster, joined, column, max_total, missing_cell)
        elif site_name == "blackboard":
            column = blackboard_column(roster, title, points, max_total)
            text = blackboard_csv(roster, joined, column, max_total, missing_cell)
        else:
            from grader.exports.lms.moodle_column import moodle_column

            column = moodle_column(roster, title, points)
            feedback = {
                str(row["student"]): moodle_feedback(
                    dict(row.get("exercises") or {}), dict(book.get("max_scores") or {})
                )
                for row in book["students"]
            }
            text = moodle_csv(
                roster, joined, column.header, column.points, max_total, missing_cell, feedback
            )
    except RosterError as exc:
        raise InputError(f"--roster: {exc}") from None
    report = export_report(
        site_name,
        out_file.name,
        roster,
        joined,
        column.header,
        column.points,
        max_total,
        missing_cell,
        NAME_COLUMNS[site_name],
        str(book.get("partial") or ""),
    )
    try:
        atomic_write(out_file, text)
        atomic_write(report_path(out_file), report)
    except OSError as exc:
        raise InputError(f"{out_file} cannot be written ({exc.strerror})") from None
    click.echo(report, err=True, nl=False)
    click.echo(f"wrote {out_file} and {report_path(out_file).name}", err=True)

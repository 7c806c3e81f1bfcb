"""What intake decided, before any grading (`grader intake BATCH`, `grader grade --dry-run`) and
again at the end of a run: every student with their site and id, the file graded for each
exercise, and every note (files not graded, attempts, late marks, receipts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from grader.reports.escape import terminal
from grader.workbook.catalog import Exercise, load_catalog
from grader.workbook.entries import Entry, Survey
from grader.workbook.sites import SITE_TITLES


@dataclass
class IntakeRow:
    """One student as intake sees them: the file graded per exercise id ("" : none) and notes."""

    entry: Entry
    files: dict[str, str]
    notes: list[str] = field(default_factory=list)


def intake_rows(entries: list[Entry], exercises: list[Exercise]) -> list[IntakeRow]:
    """Each entry's intake decision, made exactly as grading makes it (take_in), nothing run."""
    from grader.workbook.intake import take_in

    rows = []
    for entry in entries:
        try:
            intake = take_in(entry.items, exercises, entry.precedence)
        except Exception as exc:  # noqa: BLE001 - one entry never stops the table
            rows.append(IntakeRow(entry, {}, [f"intake failed ({type(exc).__name__}: {exc})"]))
            continue
        files = {e.id: intake.chosen[e.id].path if e.id in intake.chosen else "" for e in exercises}
        notes = [*entry.notes]
        notes += [f"also submitted {n}, not graded (--duplicates)" for n in entry.dropped]
        if entry.late:
            notes.append(f"late: {entry.late}")
        notes += [intake.note] if intake.note else []
        rows.append(IntakeRow(entry, files, notes))
    return rows


def _t(text: str) -> str:
    return terminal(text, keep_newlines=False)


def table_lines(
    found: Survey, rows: list[IntakeRow], totals: dict[str, str] | None = None
) -> list[str]:
    """The table as lines for the console; `totals` (student -> "23/37") after a real run."""
    site = SITE_TITLES.get(found.site, "")
    head = (
        f"batch: {site} export ({found.followed} entries follow its naming)"
        if site
        else "batch: plain folders and archives (no course site's naming found)"
    )
    lines = [head + f"; {len(rows)} student(s)"]
    lines += [f"note: {_t(n)}" for n in found.notes]
    lines += [
        f"note: {_t(name)!r} in the batch is not a submission: ignored" for name in found.ignored
    ]
    width = max([len(e.id) for e in load_catalog()] + [8])
    for row in rows:
        entry = row.entry
        who = f"{_t(entry.student)}"
        where = SITE_TITLES.get(entry.site, "plain")
        ident = f"{where} id {_t(entry.site_id)}" if entry.site_id else where
        total = f"  total {totals[entry.student]}" if totals and entry.student in totals else ""
        lines.append(f"{who}  [{ident}; from {_t(', '.join(entry.names))}]{total}")
        for exercise_id, path in row.files.items():
            shown = _t(path) if path else "(nothing submitted)"
            lines.append(f"  {exercise_id:<{width}}  {shown}")
        lines += [f"  note: {_t(n)}" for n in row.notes]
    return lines


def show_intake(
    found: Survey, exercises: list[Exercise], totals: dict[str, str] | None = None
) -> list[IntakeRow]:
    """Print the table on stderr (the console), and return its rows."""
    rows = intake_rows(found.entries, exercises)
    for line in table_lines(found, rows, totals):
        click.echo(line, err=True)
    return rows


def run_intake(batch: Path, prefix: str, only: tuple[str, ...]) -> None:
    """`grader intake BATCH`: the table, exit 2 when the batch cannot be graded as it is."""
    from grader.commands.check import chosen_exercises
    from grader.commands.preflight import InputError
    from grader.workbook.entries import IntakeError
    from grader.workbook.survey import survey

    try:
        found = survey(batch, prefix=prefix)
    except IntakeError as exc:
        raise InputError(str(exc)) from None
    exercises = chosen_exercises(only) if only else list(load_catalog())
    show_intake(found, exercises)

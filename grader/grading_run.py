"""`grader grade`: a batch graded with progress shown, then the gradebook, report and JUnit files."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from grader.batch import Entry, atomic_write, discover, grade_batch
from grader.class_report import render
from grader.escape import terminal
from grader.gradebook import write_gradebook
from grader.junit import junit_xml

GRADEBOOK_EVERY = 1.0  # seconds between rewrites of the gradebook during a run


class Progress:
    """Submissions done, failing, and the time left: a bar on a terminal, plain lines otherwise."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.failing = total, 0, 0
        self.started, self.graded = time.monotonic(), 0
        self.tty = sys.stderr.isatty()

    def update(self, entry: Entry, record: dict) -> None:
        self.done += 1
        self.graded += 1
        result = record["result"]
        if result["total"] < result["max_total"]:
            self.failing += 1
        elapsed = time.monotonic() - self.started
        left = elapsed / self.graded * (self.total - self.done)
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        line = (f"{self.done}/{self.total} graded, {self.failing} not full marks, "
                f"about {left:.0f} s left")
        if self.tty:
            click.echo(f"\r[{'#' * filled}{'.' * (width - filled)}] {line}   ", err=True, nl=False)
        else:
            student = terminal(entry.student, keep_newlines=False)
            click.echo(f"{line} ({student}: {result['total']:g}/{result['max_total']:g})", err=True)

    def finish(self) -> None:
        if self.tty:
            click.echo("", err=True)


def run_batch(*, batch: Path, out: Path, workers: int, resume: bool, only: list[str] | None,
              junit: Path | None, extra_args: list[str]) -> dict[str, dict]:
    entries = discover(batch)
    keys = {e.student: e.key for e in entries}
    progress = Progress(len(entries))

    def started(count: int, total: int) -> None:
        progress.done = total - count  # resumed: those are done already
        click.echo(f"grading {count} of {total} submission(s) from {terminal(batch)} with {workers} worker(s)"
                   + (f"; {total - count} already graded" if count < total else ""), err=True)

    known: dict[str, dict] = {}
    unwritten: list[str] = []
    last_write = 0.0

    def written(entry: Entry, record: dict) -> None:
        nonlocal last_write
        # The gradebook on disk grows as results come, rewritten at most once a second: each
        # rewrite costs time in proportion to the class, which the grading processes want.
        known[entry.student] = record
        unwritten.append(entry.student)
        if time.monotonic() - last_write >= GRADEBOOK_EVERY:
            write_gradebook(out, {s: known[s] for s in sorted(known)}, keys, feedback_for=unwritten)
            unwritten.clear()
            last_write = time.monotonic()
        progress.update(entry, record)

    records = grade_batch(batch=batch, out=out, workers=workers, resume=resume, only=only,
                          extra_args=extra_args, on_result=written, on_start=started)
    progress.finish()
    write_gradebook(out, records, keys)
    atomic_write(out / "report.html", render(records, keys))
    if junit:
        atomic_write(junit, junit_xml(records))
    totals = [r["result"]["total"] for r in records.values()]
    click.echo(f"wrote {out / 'grades.csv'}, grades.json, feedback/ ({len(records)} files) and report.html; "
               f"mean total {sum(totals) / max(len(totals), 1):.2f}", err=True)
    return records

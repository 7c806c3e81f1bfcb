"""`grader grade`: a batch graded with progress shown, then the gradebook, report and JUnit
files."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import click

from grader.commands.batch import grade_batch
from grader.commands.batch_events import BatchEvent, Resumed, Started
from grader.reports.escape import terminal
from grader.reports.feedback import feedback_markdown
from grader.reports.feedback_html import feedback_html, feedback_page
from grader.reports.gradebook import gradebook_csv, gradebook_json
from grader.reports.html_report import render
from grader.reports.junit import junit_xml
from grader.workbook.files import atomic_write
from grader.workbook.intake import Entry, discover
from grader.workbook.results import BatchRecord
from grader.workbook.run_settings import GradeRun
from grader.workbook.shards import Shard

GRADEBOOK_EVERY = 1.0  # seconds between rewrites of the gradebook during a run


class Progress:
    """Submissions done, failing, and the time left: a bar on a terminal, plain lines otherwise."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.failing = total, 0, 0
        self.started, self.graded = time.monotonic(), 0
        self.tty = sys.stderr.isatty()

    def update(self, entry: Entry, record: BatchRecord) -> None:
        self.done += 1
        self.graded += 1
        result = record.result
        if result.total < result.max_total:
            self.failing += 1
        elapsed = time.monotonic() - self.started
        left = elapsed / self.graded * (self.total - self.done)
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        line = (
            f"{self.done}/{self.total} graded, {self.failing} not full marks, "
            f"about {left:.0f} s left"
        )
        if self.tty:
            click.echo(f"\r[{'#' * filled}{'.' * (width - filled)}] {line}   ", err=True, nl=False)
        else:
            student = terminal(entry.student, keep_newlines=False)
            click.echo(f"{line} ({student}: {result.total:g}/{result.max_total:g})", err=True)

    def finish(self) -> None:
        if self.tty:
            click.echo("", err=True)


def write_gradebook(
    out: Path,
    records: dict[str, BatchRecord],
    feedback_for: list[str] | None = None,
    partial: str = "",
    interim: bool = False,
) -> None:
    """grades.csv, grades.json, and feedback/<key>.md and .html for `feedback_for` (default:
    everyone). `interim`: a rewrite during the run, its JSON on one line (the C encoder; `indent`
    needs the pure-Python one, 6x slower), the same data as the indented file the run ends with."""
    from grader.reports.roster import with_identity

    atomic_write(out / "grades.csv", gradebook_csv(records))
    book = with_identity(gradebook_json(records), records, partial)
    atomic_write(out / "grades.json", json.dumps(book, indent=None if interim else 1) + "\n")
    for student in records if feedback_for is None else feedback_for:
        record = records[student]
        atomic_write(out / "feedback" / f"{record.key}.md", feedback_markdown(record))
        atomic_write(out / unquote(feedback_page(record)), feedback_html(record))


REVIEW_LIMIT = 64 * 2**20  # review.json quotes student code and names: read within a bound


def read_review(out: Path) -> dict | None:
    """OUT/review.json (the review pass's flags and similar pairs), or None when there is none;
    a file that cannot be read says so on the report rather than passing for "none"."""
    path = out / "review.json"
    if not path.is_file():
        return None
    try:
        if path.stat().st_size > REVIEW_LIMIT:
            raise ValueError(f"larger than {REVIEW_LIMIT} bytes")
        review = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(review, dict):
            raise ValueError("not a JSON object")
        return review
    except (OSError, ValueError) as exc:
        return {"unreadable": f"{type(exc).__name__}: {exc}"}


def write_report(
    out: Path, records: dict[str, BatchRecord], partial: str = "", review: dict | None = None
) -> None:
    """report.html, with the review pass's findings: `review` as this run made it, else
    OUT/review.json when an earlier run wrote one."""
    found = review if review is not None else read_review(out)
    atomic_write(out / "report.html", render(records, found, partial))


def run_grade(
    batch: Path,
    out: Path,
    workers: int | None,
    resume: bool,
    only: tuple[str, ...],
    duplicates: str,
    junit: Path | None,
    limits: tuple[str, ...],
    key: str | None = None,
    review: bool = True,
    threshold: float | None = None,
    term: dict | None = None,
    shard: Shard | None = None,
) -> None:
    """`grader grade`: the instructor's input checked before anything is graded, then the batch,
    then (unless `review` is False) the class's review: integrity flags and similar pairs.
    `term` holds the term's options (dry_run, students, prefix, late_policy, overrides): see
    grader.commands.term."""
    import os

    from grader.commands.check import chosen_exercises
    from grader.commands.preflight import InputError, check_grade_input, check_settings
    from grader.workbook.grading_key import GradingKeyError, key_for_run
    from grader.workbook.paths import HANDOUT_REFUSAL, is_handout

    if is_handout():
        raise InputError(HANDOUT_REFUSAL)
    from grader.supervisor.host_cage import graded_run_refusal

    if refusal := graded_run_refusal():  # no cage for student code: no graded run
        raise InputError(refusal)
    try:
        only_ids = [e.id for e in chosen_exercises(only)] if only else None
    except click.UsageError as exc:
        raise InputError(exc.message) from None
    from grader.commands.term import Term

    options = Term(**(term or {}))
    settings = check_settings(limits)
    found = check_grade_input(batch, out, duplicates, options.prefix)
    if options.dry_run:
        options.show(found, only_ids)
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
        key_file, made = key_for_run(out, key)
    except (GradingKeyError, OSError) as exc:
        raise InputError(f"the grading key: {exc}") from None
    if made and shard is not None:  # each shard would draw its own: they could not be merged
        from grader.commands.shard import NEEDS_KEY

        key_file.unlink()
        raise InputError(NEEDS_KEY)
    if made:
        click.echo(
            f"note: a new grading key is in {terminal(key_file)}: keep it (and keep it secret) to "
            "regrade this class identically",
            err=True,
        )
    for name in found.ignored:
        click.echo(
            f"note: {terminal(name)!r} in the batch is not a submission (a folder or "
            "archive): ignored",
            err=True,
        )
    check = replace(settings, key_file=key_file.resolve())
    resume = options.before_run(found, out, resume, check)
    entries, finish = found.entries, None
    if shard is not None:  # a part of the class; the review is the merge's (grader merge)
        from grader.commands.shard import start_shard

        entries, finish = start_shard(shard, batch, out, entries, check, only_ids, options)
    run = GradeRun(
        batch=batch,
        out=out,
        workers=workers or os.cpu_count() or 1,
        check=check,
        resume=resume,
        only=only_ids,
        junit=junit,
        review=review and shard is None,
        threshold=threshold,
    )
    records = run_batch(run, entries, options.adjust(out))
    if finish is not None:
        finish(records)
    options.show(replace(found, entries=entries), only_ids, records)  # a shard: its students


def run_batch(
    run: GradeRun,
    entries: list[Entry] | None = None,
    adjust: Callable[[dict[str, BatchRecord]], dict[str, BatchRecord]] | None = None,
) -> dict[str, BatchRecord]:
    """Grade `run`'s batch with progress shown, then write the gradebook, the review, the report
    and the JUnit file, from the records as `adjust` (the term's overrides and late policy) makes
    them; returns the records as written."""
    out = run.out
    entries = discover(run.batch) if entries is None else entries
    progress = Progress(len(entries))
    known: dict[str, BatchRecord] = {}  # graded in this run
    resumed: dict[str, BatchRecord] = {}  # kept from an earlier one
    unwritten: list[str] = []
    last_write = 0.0

    def take(event: BatchEvent) -> None:
        nonlocal last_write
        if isinstance(event, Resumed):
            resumed[event.record.student] = event.record
            progress.failing += event.record.result.total < event.record.result.max_total
        elif isinstance(event, Started):
            progress.done = done = event.total - event.count  # resumed: done already
            click.echo(
                f"grading {event.count} of {event.total} submission(s) from "
                f"{terminal(run.batch)} with {run.workers} worker(s)"
                + (f"; {done} already graded" if done else ""),
                err=True,
            )
        else:
            # The gradebook on disk grows as results come, rewritten at most once a second: each
            # rewrite costs time in proportion to the class, which the grading processes want.
            known[event.entry.student] = event.record
            unwritten.append(event.entry.student)
            if time.monotonic() - last_write >= GRADEBOOK_EVERY:
                so_far = {s: known[s] for s in sorted(known)}
                write_gradebook(out, so_far, feedback_for=unwritten, interim=True)
                unwritten.clear()
                last_write = time.monotonic()
            progress.update(event.entry, event.record)

    from grader.commands.interrupt import EXIT_INTERRUPTED, BatchInterrupted

    partial = ""
    try:
        events = grade_batch(run, entries)
        for event in events:
            try:
                take(event)
            except KeyboardInterrupt:  # the batch ends its pool and says what was finished
                events.throw(KeyboardInterrupt)
                raise
        finished = {**resumed, **known}
        records = {e.student: finished[e.student] for e in entries}
    except (BatchInterrupted, KeyboardInterrupt) as stop:  # the latter before anything started
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the partial gradebook is written whole
        if not isinstance(stop, BatchInterrupted):
            stop = BatchInterrupted({**resumed, **known}, len(entries))
        records, partial = {s: stop.records[s] for s in sorted(stop.records)}, stop.message
    progress.finish()
    records = adjust(records) if adjust else records
    write_gradebook(out, records, partial=partial)
    review = None
    if run.review and not partial:  # after the gradebook, before the report that shows it
        from grader.commands.review import write_review
        from grader.review.build import DEFAULT_THRESHOLD

        chosen = DEFAULT_THRESHOLD if run.threshold is None else run.threshold
        try:
            review = write_review(out, entries, records, chosen)
        except Exception as exc:  # noqa: BLE001 - the grades are written; say so and end well
            click.echo(
                f"the review failed ({type(exc).__name__}: {exc}); grades unaffected", err=True
            )
    write_report(out, records, partial, review)  # a partial run says so at the top of the page
    if run.junit:
        atomic_write(run.junit, junit_xml({s: r.result for s, r in records.items()}))
    totals = [r.result.total for r in records.values()]
    click.echo(
        f"wrote {out / 'grades.csv'}, grades.json, feedback/ ({len(records)} files) and "
        "report.html; "
        f"mean total {sum(totals) / max(len(totals), 1):.2f}",
        err=True,
    )
    if partial:
        click.echo(f"interrupted: {partial}", err=True)
        sys.exit(EXIT_INTERRUPTED)
    return records

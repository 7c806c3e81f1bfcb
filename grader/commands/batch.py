"""Grading a whole class: find the submissions in a batch folder, grade each in a pool of grading
processes, and keep every result on disk the moment it is known.

Each submission's result is written atomically to `OUT/.results/<key>.json` (with the digest of
what was graded), so an interrupted run started again with `resume=True` grades only what is
missing or has changed, and ends with the same gradebook as an uninterrupted run.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import json
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from grader.commands.batch_events import BatchEvent, Graded, Resumed, Started
from grader.commands.only import merge
from grader.workbook.catalog import Exercise, load_catalog
from grader.workbook.files import atomic_write
from grader.workbook.intake import Entry, digest, discover
from grader.workbook.results import (
    BatchRecord,
    CheckResult,
    ExerciseResult,
    Status,
    SubmissionResult,
)
from grader.workbook.run_mark import run_mark
from grader.workbook.run_settings import CheckSettings, GradeRun

if TYPE_CHECKING:
    from grader.supervisor.zygote_client import Zygote

RESULTS_DIR = ".results"


def _empty_result(exercises: list[Exercise], note: str) -> SubmissionResult:
    return SubmissionResult(
        {
            e.id: ExerciseResult(
                e.id,
                e.points,
                [CheckResult("submission", Status.NOT_ATTEMPTED, 0.0, float(e.points), note)],
            )
            for e in exercises
        }
    )


def grade_entry(entry: Entry, exercise_ids: list[str], settings: CheckSettings) -> BatchRecord:
    """Grade one submission; never raises. Runs in a grading process of the pool."""
    exercises = [e for e in load_catalog() if e.id in exercise_ids]

    def record(result: SubmissionResult, notes: list[str], detail: list[str] = ()) -> BatchRecord:
        return BatchRecord(
            entry.student,
            entry.key,
            result,
            exercise_ids,
            notes=notes,
            detail=list(detail),
            entry=entry.identity,
        )

    notes: list[str] = [*entry.notes] + [
        f"also submitted {name}, not graded (--duplicates)" for name in entry.dropped
    ]
    try:
        with tempfile.TemporaryDirectory(prefix="grader-batch-") as scratch:
            from grader.workbook.intake import take_in

            intake = take_in(entry.items, exercises, entry.precedence)
            notes = ([intake.note] if intake.note else []) + notes
            if not intake.chosen:
                return record(_empty_result(exercises, intake.note), notes)
            folder = intake.stage(Path(scratch) / "submission", exercises)
            from grader.commands.grading_session import run_in_session  # a session a process

            result = run_in_session(folder, exercises, settings)
            return record(result, notes)
    except Exception as exc:  # noqa: BLE001 - one submission must never stop the batch
        note = (
            f"the grader failed on this submission ({type(exc).__name__}: {exc}); it was given zero"
        )
        return record(
            _empty_result(exercises, note), notes + [note], [traceback.format_exc(limit=3)]
        )


def _init_grading_process(
    zygote_sockets: tuple[socket.socket, socket.socket | None] | None,
) -> None:
    """One thread for torch in the grading process too: the same float rounding in every run.
    Workers are forked by the batch's zygote (and its warm sibling, which has imported
    torchvision and what an optimizer's first step imports), once for all grading processes; the
    next exercise's worker is forked while this one's checks run, as in `grader check`. The exit
    below runs only in a spawned grading process: a forked one ends with os._exit already."""
    import torch

    from grader.commands.grading_session import keep_sessions
    from grader.supervisor.pool import shared_pool
    from grader.supervisor.zygote_client import Zygote

    torch.set_num_threads(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's to handle: it ends us
    keep_sessions()  # one pytest session for all this process grades
    if zygote_sockets is not None:
        shared_pool().attach_zygote(Zygote(attach=zygote_sockets))
    atexit.register(_exit_now)


def _exit_now() -> None:
    """A grading process ends once the pool has no more work: results are sent synchronously, so
    nothing is lost by skipping the interpreter's teardown of torch (about half a second)."""
    from grader.supervisor.pool import shared_pool

    shared_pool().shutdown()
    os._exit(0)


@dataclass
class _Plan:
    """What is left to grade of a batch, and how each result joins the gradebook."""

    to_grade: list[tuple[Entry, str]]  # (entry, the digest its stored result will carry)
    exercise_ids: list[str]
    results_dir: Path
    merged: Callable[[BatchRecord], BatchRecord]  # --only: into the stored record's columns
    finished: dict[str, BatchRecord]  # resumed: kept from an earlier run
    total: int


def grade_batch(run: GradeRun, entries: list[Entry] | None = None) -> Iterator[BatchEvent]:
    """Grade every submission in `run.batch` into `run.out`, yielding what happens (see
    `batch_events`). Ctrl-C raises BatchInterrupted with what was finished
    (see grader.commands.interrupt)."""
    from grader.commands.only import columns, covers, load_base

    only = run.only
    entries = discover(run.batch) if entries is None else entries
    exercise_ids = [e.id for e in load_catalog() if not only or e.id in only]
    results_dir = run.out / RESULTS_DIR
    base = load_base(results_dir) if only else {}  # --only adds to the gradebook already there
    all_ids = columns(base, exercise_ids) if only else exercise_ids
    if not run.resume and results_dir.exists():
        shutil.rmtree(results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    plan = _Plan(
        [],
        exercise_ids,
        results_dir,
        lambda r: merge(base.get(r.key), r, all_ids) if only else r,
        {},
        len(entries),
    )
    key_mark = run.check.resume_mark() + run_mark()  # another key, checks or grader: stale
    for entry in entries:
        stored = _read_record(results_dir / f"{entry.key}.json")
        fingerprint = digest(entry) + key_mark
        if (
            stored
            and stored.digest == fingerprint
            and covers(stored, exercise_ids)
            and stored.exercises == all_ids
        ):
            plan.finished[entry.student] = stored
            yield Resumed(stored)
        else:
            plan.to_grade.append((entry, fingerprint))
    yield Started(len(plan.to_grade), len(entries))
    zygote = None
    try:  # Ctrl-C while the zygote or the grading processes start is an interruption too
        zygote = _start_zygote(exercise_ids) if plan.to_grade else None
        context = _grading_context() if plan.to_grade else multiprocessing.get_context("spawn")
        yield from _grade_all(plan, run, context, zygote)
    except KeyboardInterrupt:  # before the grading processes started
        from grader.commands.interrupt import BatchInterrupted

        raise BatchInterrupted(plan.finished, len(entries)) from None
    finally:
        if zygote is not None:
            zygote.close()


def _grading_context() -> multiprocessing.context.BaseContext:
    """How the grading processes start: forked from this process once it has imported torch and
    pytest (while the zygote imports torch too, on the other core), so that N grading processes
    cost one import, not N on a machine whose cores the start already keeps busy. A process that
    runs more than one thread cannot be forked safely (the fork copies only the calling
    thread): then each grading process is spawned and imports for itself. Imported with one
    OpenMP thread (each grading process sets torch to one anyway), torch starts none of its own."""
    unset = "OMP_NUM_THREADS" not in os.environ
    if unset and "torch" not in sys.modules:
        os.environ["OMP_NUM_THREADS"] = "1"
    try:
        import pytest  # noqa: F401
        import torch  # noqa: F401

        import grader.commands.grading_session  # noqa: F401
    finally:
        if unset:  # what this process starts later inherits the caller's environment
            os.environ.pop("OMP_NUM_THREADS", None)

    if len(os.listdir("/proc/self/task")) == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _start_zygote(exercise_ids: list[str]) -> Zygote | None:
    from grader.supervisor.environment import NO_ZYGOTE_VARIABLE
    from grader.supervisor.zygote_client import Zygote

    if os.environ.get(NO_ZYGOTE_VARIABLE):
        return None
    warm_ups = sorted({w for e in load_catalog() if e.id in exercise_ids for w in e.warm_up})
    return Zygote(tuple(warm_ups))


def _grade_all(
    plan: _Plan,
    run: GradeRun,
    context: multiprocessing.context.BaseContext,
    zygote: Zygote | None,
) -> Iterator[Graded]:
    """Grade what `plan` leaves in a pool of grading processes; each result is on disk before it
    is yielded. Ctrl-C ends the pool at once and raises BatchInterrupted with what finished."""
    from grader.commands.interrupt import BatchInterrupted, end_pool

    records: dict[str, BatchRecord] = {}
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=max(1, run.workers),
        mp_context=context,
        initializer=_init_grading_process,
        initargs=(zygote.sockets if zygote is not None else None,),
    ) as pool:
        futures = {
            pool.submit(grade_entry, entry, plan.exercise_ids, run.check): (entry, fingerprint)
            for entry, fingerprint in plan.to_grade
        }
        try:
            for entry, record in _completed(futures, plan.exercise_ids, plan.merged):
                record.notes = _cut_notes(record.notes)
                atomic_write(
                    plan.results_dir / f"{entry.key}.json",
                    json.dumps(record.to_json(), indent=1, sort_keys=True),
                )
                records[entry.student] = record
                yield Graded(entry, record)
        except KeyboardInterrupt:
            end_pool(pool, zygote)  # at once: queued work cancelled, grading processes killed
            raise BatchInterrupted({**plan.finished, **records}, plan.total) from None


def _completed(futures, exercise_ids, merged):
    """(entry, record) as each grading process finishes one; a process that died is recorded."""
    for future in concurrent.futures.as_completed(futures):
        entry, fingerprint = futures[future]
        try:
            record = future.result().with_digest(fingerprint)
        except Exception as exc:  # noqa: BLE001 - a grading process died: record it, go on
            note = f"the grading process failed ({type(exc).__name__}: {exc}); it was given zero"
            record = BatchRecord(
                entry.student,
                entry.key,
                _empty_result([e for e in load_catalog() if e.id in exercise_ids], note),
                exercise_ids,
                fingerprint,
                [note],
            )
        yield entry, merged(record)


def _read_record(path: Path) -> BatchRecord | None:
    try:
        return BatchRecord.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # not graded yet (results appear only whole, by rename), or damaged by hand


def _cut_notes(notes: list[str], most: int = 50) -> list[str]:
    """Notes quote archive entries and exceptions, which the student controls: a bounded list."""
    from grader.wire.reply_limits import cut

    kept = [cut(note) for note in notes[:most]]
    more = len(notes) - most
    return kept + ([f"[cut: {more} more notes not shown]"] if more > 0 else [])

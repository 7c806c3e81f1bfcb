"""`grader grade --only`: the exercises named are graded and put into the gradebook already in OUT,
beside its other exercises' columns, which are kept, never dropped. The records in
`OUT/.results` are what is merged, so a gradebook can be built up one exercise at a time."""

from __future__ import annotations

import json
from pathlib import Path

from grader.workbook.catalog import load_catalog
from grader.workbook.results import BatchRecord, CheckResult, ExerciseResult, Status

NOT_GRADED = "not graded"


def load_base(results_dir: Path) -> dict[str, BatchRecord]:
    """{key: record} of the results already in OUT (damaged or foreign files are left out)."""
    base: dict[str, BatchRecord] = {}
    for path in sorted(results_dir.glob("*.json")) if results_dir.is_dir() else ():
        try:
            record = BatchRecord.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        base[record.key] = record
    return base


def columns(base: dict[str, BatchRecord], graded: list[str]) -> list[str]:
    """The gradebook's exercises after this run: those already there and those graded now."""
    have = {i for record in base.values() for i in record.exercises} | set(graded)
    return [e.id for e in load_catalog() if e.id in have]


def merge(old: BatchRecord | None, new: BatchRecord, ids: list[str]) -> BatchRecord:
    """`new` (graded on some exercises) with `old`'s results for the other columns in `ids`."""
    exercises = {}
    points = {e.id: e.points for e in load_catalog()}
    for exercise_id in ids:
        if exercise_id in new.result.exercises:
            exercises[exercise_id] = new.result.exercises[exercise_id]
        elif old is not None and exercise_id in old.result.exercises:
            exercises[exercise_id] = old.result.exercises[exercise_id]
        else:
            exercises[exercise_id] = ExerciseResult(
                exercise_id,
                points[exercise_id],
                [
                    CheckResult(
                        NOT_GRADED,
                        Status.NOT_ATTEMPTED,
                        0.0,
                        float(points[exercise_id]),
                        "not graded: this submission was not in the batch when this exercise was "
                        "graded",
                    )
                ],
            )
    notes = list(new.notes)
    if (
        old is not None
        and old.digest
        and old.digest != new.digest
        and set(ids) - set(new.result.exercises)
    ):
        notes.append("the other exercises' points are from an earlier version of this submission")
    result = type(new.result)(exercises)
    return BatchRecord(new.student, new.key, result, ids, new.digest, notes, new.detail, new.entry)


def covers(stored: BatchRecord, ids: list[str]) -> bool:
    """Whether `stored` holds real results (not placeholders) for every exercise in `ids`."""
    return all(
        i in stored.exercises
        and i in stored.result.exercises
        and not any(c.name == NOT_GRADED for c in stored.result.exercises[i].checks)
        for i in ids
    )

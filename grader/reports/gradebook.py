"""The instructor's gradebook in the spec's formats: `grades.csv` and `grades.json`, from
records."""

from __future__ import annotations

import csv
import io

from grader.reports.escape import csv_cell
from grader.workbook.catalog import Exercise, load_catalog
from grader.workbook.figures import figures_to_json
from grader.workbook.results import BatchRecord


def number(value: float) -> int | float:
    """Points as the plainest number: 3 rather than 3.0."""
    return int(value) if float(value).is_integer() else round(float(value), 6)


def exercises_in(records: dict[str, BatchRecord]) -> list[Exercise]:
    """The exercises the records were graded on (all of them with --only absent), in catalog
    order."""
    ids = next(iter(records.values())).exercises if records else [e.id for e in load_catalog()]
    return [e for e in load_catalog() if e.id in ids]


def gradebook_json(records: dict[str, BatchRecord]) -> dict:
    exercises = exercises_in(records)
    students = []
    for student, record in records.items():
        result = record.result
        students.append(
            {
                "student": student,
                "total": number(result.total),
                "notes": record.notes[:1],
                "exercises": {
                    e.id: {
                        "score": number(result.exercises[e.id].score),
                        "max_score": number(e.points),
                        "checks": [
                            {
                                "name": c.name,
                                "score": number(c.score),
                                "max_score": number(c.max_score),
                                "passed": c.passed,
                                "status": c.status.value,
                                "message": c.message,
                                # pictures (only of public checks in a graded run): optional
                                **({"figures": figures_to_json(c.figures)} if c.figures else {}),
                            }
                            for c in result.exercises[e.id].checks
                        ],
                    }
                    for e in exercises
                },
            }
        )
    return {
        "max_scores": {e.id: number(e.points) for e in exercises},
        "max_total": number(sum(e.points for e in exercises)),
        "students": students,
    }


def gradebook_csv(records: dict[str, BatchRecord]) -> str:
    exercises = exercises_in(records)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *[e.id for e in exercises], "total"])
    for student, record in records.items():
        result = record.result
        writer.writerow(
            [
                csv_cell(student),
                *[number(result.exercises[e.id].score) for e in exercises],
                number(result.total),
            ]
        )
    return buffer.getvalue()

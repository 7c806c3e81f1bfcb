"""GitHub Classroom's runner result, the JSON that classroom-resources/autograding-grading-reporter
reads (base64-encoded) from `<RUNNER>_RESULTS`, in the shape its command and io graders write:
`{version, status, max_score, tests: [{name, status, score, message, test_code, filename,
line_no, duration}]}`. The reporter sends Classroom the sum of the tests' `score` out of
`max_score`, so each check is a test scored with its partial credit."""

from __future__ import annotations

from grader.reports.escape import terminal
from grader.reports.feedback import public_message
from grader.reports.gradebook import number
from grader.workbook.catalog import load_catalog
from grader.workbook.results import BatchRecord, Status

RESULTS_VERSION = 1


def runner_json(record: BatchRecord, seconds: float) -> dict:
    result = record.result
    tests = []
    for exercise in load_catalog():
        mine = result.exercises.get(exercise.id)
        if mine is None:
            continue
        for check in mine.checks:
            message = public_message(check).strip()
            if not check.passed and check.status is not Status.NOT_ATTEMPTED:
                message += f"\nHint: {exercise.hints[0]} (tutorial: {exercise.section})"
            tests.append(
                {
                    "name": f"{exercise.number:02d} {exercise.id}: {check.name}",
                    # the reporter prints an "error" test's message, and only a "pass" is ticked
                    "status": "pass" if check.passed else "fail",
                    "score": number(check.score),
                    "message": terminal(message.strip()),
                    "test_code": f"grader check {exercise.id}",
                    "filename": exercise.filename,
                    "line_no": 0,
                    "duration": 0,
                }
            )
    return {
        "version": RESULTS_VERSION,
        "status": "pass" if result.all_passed else "fail",
        "max_score": number(result.max_total),
        "tests": tests,
    }


def error_json(message: str, max_score: float) -> dict:
    """The result when the grader could not grade at all: one test in error, scored 0."""
    return {
        "version": RESULTS_VERSION,
        "status": "error",
        "max_score": number(max_score),
        "tests": [
            {
                "name": "the grader ran",
                "status": "error",
                "score": 0,
                "message": terminal(message),
                "test_code": "python -m grader.exports.classroom.workflow",
                "filename": "",
                "line_no": 0,
                "duration": 0,
            }
        ],
    }


def summary_lines(record: BatchRecord) -> list[str]:
    """What the step prints to its log: per exercise, the score and each failed check's message
    (the reporter prints no message for a failed test)."""
    result = record.result
    lines = [f"Total: {number(result.total)} / {number(result.max_total)} points"]
    lines += [f"Note: {terminal(note)}" for note in record.notes]
    for exercise in load_catalog():
        mine = result.exercises.get(exercise.id)
        if mine is None:
            continue
        lines.append(
            f"{exercise.number:02d} {exercise.id}: {number(mine.score)} / "
            f"{number(mine.max_score)} ({mine.status.value})"
        )
        if mine.status.value == "not attempted":
            continue
        for check in mine.checks:
            if not check.passed:
                first = (public_message(check).strip().splitlines() or [""])[0]
                lines.append(f"  - {check.name}: {terminal(first, keep_newlines=False)}")
    return lines

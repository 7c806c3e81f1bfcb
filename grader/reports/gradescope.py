"""Gradescope's `results.json` from one student's record: a test per check, its output the
learner's message (a hidden check's inputs and expected values left out), and the exercise's
first hint on its failed checks."""

from __future__ import annotations

from grader.reports.feedback import public_message
from grader.reports.gradebook import number
from grader.workbook.catalog import load_catalog
from grader.workbook.results import BatchRecord, Status


def results_json(record: BatchRecord, seconds: float) -> dict:
    result = record.result
    tests = []
    for exercise in load_catalog():
        mine = result.exercises.get(exercise.id)
        if mine is None:
            continue
        for index, check in enumerate(mine.checks, 1):
            output = public_message(check, visible=False)
            if not check.passed and check.status is not Status.NOT_ATTEMPTED:
                output += f"\n\nHint: {exercise.hints[0]} (tutorial: {exercise.section})"
            tests.append(
                {
                    "name": f"{exercise.number:02d} {exercise.id}: {check.name}",
                    "number": f"{exercise.number}.{index}",
                    "score": number(check.score),
                    "max_score": number(check.max_score),
                    "status": "passed" if check.passed else "failed",
                    "output": output.strip(),
                    "visibility": "visible",
                }
            )
    summary = [f"Total: {number(result.total)} / {number(result.max_total)} points."]
    summary += [f"Note: {note}" for note in record.notes]
    return {
        "score": number(result.total),
        "execution_time": round(seconds),
        "output": "\n".join(summary),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }

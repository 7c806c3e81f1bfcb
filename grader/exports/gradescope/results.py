"""Gradescope's `results.json` from one student's record: a test per check, its output the
learner's message (as the graded run made it: a hidden check's inputs and expected values were
left out at the source; a cause several checks share said once), and the exercise's first hint
on its failed checks."""

from __future__ import annotations

from grader.reports.causes import causes
from grader.reports.feedback import public_message
from grader.reports.gradebook import number
from grader.workbook.catalog import load_catalog
from grader.workbook.results import BatchRecord, ExerciseResult, Status


def _outputs(prefix: str, mine: ExerciseResult) -> tuple[dict[str, str], set[str]]:
    """Each failed check's output, a cause several checks share said once: in full on the first
    of its tests, with the others it cost; the others (the second value) point to that test."""
    outputs, pointers = {}, set()
    for cause in causes(mine):
        first = cause.checks[0]
        if not cause.shared:
            outputs[first.name] = public_message(first)
            continue
        others = ", ".join(
            f"{c.name} ({number(c.score)} / {number(c.max_score)})" for c in cause.checks[1:]
        )
        parts = [cause.text, cause.evidence]
        parts.append(f"The same cause also cost: {others}.")
        outputs[first.name] = "\n".join(p for p in parts if p.strip())
        for check in cause.checks[1:]:
            outputs[check.name] = f'The same cause as "{prefix}: {first.name}" (see that test).'
            pointers.add(check.name)
    return outputs, pointers


def results_json(record: BatchRecord, seconds: float) -> dict:
    result = record.result
    tests = []
    for exercise in load_catalog():
        mine = result.exercises.get(exercise.id)
        if mine is None:
            continue
        outputs, pointers = _outputs(f"{exercise.number:02d} {exercise.id}", mine)
        for index, check in enumerate(mine.checks, 1):
            output = outputs.get(check.name, "")
            pointer = check.name in pointers  # the hint is on the test that says the cause
            if not check.passed and check.status is not Status.NOT_ATTEMPTED and not pointer:
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

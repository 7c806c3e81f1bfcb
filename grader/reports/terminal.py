"""How results look in a terminal: one line per check, a line per exercise, a summary."""

from __future__ import annotations

import click

from grader.reports.escape import terminal
from grader.workbook.catalog import Exercise
from grader.workbook.results import (
    CheckResult,
    ExerciseResult,
    ExerciseStatus,
    Status,
    SubmissionResult,
)

_MARKS = {
    Status.PASSED: ("PASS", "green"),
    Status.FAILED: ("FAIL", "red"),
    Status.ERROR: ("ERROR", "red"),
    Status.NOT_ATTEMPTED: ("TODO", "yellow"),
    Status.TIMEOUT: ("TIME", "magenta"),
}


def _points(score: float, max_score: float) -> str:
    return f"{score:g}/{max_score:g}"


def format_check(check: CheckResult, color: bool, repeated: bool = False) -> list[str]:
    mark, colour = _MARKS[check.status]
    label = click.style(f"{mark:<5}", fg=colour, bold=True) if color else f"{mark:<5}"
    lines = [f"  {label} {check.name:<50} {_points(check.score, check.max_score):>7}"]
    if not check.passed and check.message:
        message = ["(same as above)"] if repeated else terminal(check.message).splitlines()
        lines += [f"        {line}" for line in message]
    return lines


def format_exercise(
    exercise: Exercise, result: ExerciseResult, color: bool, verbose: bool = False
) -> str:
    head = f"{exercise.number:02d} {exercise.id} - {exercise.title}"
    lines = [click.style(head, bold=True) if color else head]
    if result.status is ExerciseStatus.NOT_ATTEMPTED and not verbose:
        reason = result.checks[0].message if result.checks else "no checks ran"
        lines.append(f"  not attempted: {terminal(reason).splitlines()[0] if reason else ''}")
    else:
        previous = None
        for check in result.checks:
            lines += format_check(check, color, repeated=check.message == previous)
            previous = check.message if not check.passed else None
    lines.append(f"  score {_points(result.score, result.max_score)} ({result.status.value})")
    return "\n".join(lines)


def format_summary(result: SubmissionResult) -> str:
    counts: dict[str, int] = {}
    for exercise in result.exercises.values():
        for check in exercise.checks:
            counts[check.status.label] = counts.get(check.status.label, 0) + 1
    detail = ", ".join(f"{n} {label}" for label, n in counts.items())
    return f"Total: {_points(result.total, result.max_total)} points ({detail})"

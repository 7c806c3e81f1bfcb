"""How results look in a terminal: one line per check (a cause several checks share said once,
with the checks it cost), a line per exercise, a summary."""

from __future__ import annotations

import re

import click

from grader.reports.causes import GRID_ROW, Cause, causes
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


# A grid's marked cells (causes.GRID_ROW), coloured on a terminal; plain text keeps the `*`.
_MARKED_CELL = re.compile(r"(-?\d[\d.e+-]*|nan|-?inf|True|False)\*")
_INDENT = "        "
_PRINTED_LINES = 6
MAX_LINES = 22  # under one check or cause: read in ten seconds (two stacked 8x8 grids fit)


def _message_lines(message: str, color: bool) -> list[str]:
    """A message escaped for the terminal, its marked grid cells coloured when `color`."""
    lines = terminal(message).splitlines()
    if color:
        lines = [
            _MARKED_CELL.sub(lambda m: click.style(m.group(), fg="red", bold=True), line)
            if GRID_ROW.match(line)
            else line
            for line in lines
        ]
    return [f"{_INDENT}{line}" for line in lines]


def _status_line(status: Status, name: str, points: str, color: bool) -> str:
    mark, colour = _MARKS[status]
    label = click.style(f"{mark:<5}", fg=colour, bold=True) if color else f"{mark:<5}"
    return f"  {label} {name:<50} {points:>7}"


def _printed_lines(output: str) -> list[str]:
    """What the learner's code printed, its last lines (all of it is in --json)."""
    lines = terminal(output).splitlines()
    shown = lines[-_PRINTED_LINES:]
    head = "Your code printed" + (
        f" ({len(lines)} lines; the last {len(shown)}):" if len(shown) < len(lines) else ":"
    )
    return [f"{_INDENT}{head}"] + [f"{_INDENT}  {line}" for line in shown]


def _cut(lines: list[str]) -> list[str]:
    """At most MAX_LINES lines under a check, the rest named with where to read it whole."""
    if len(lines) <= MAX_LINES:
        return lines
    kept = lines[: MAX_LINES - 1]
    return kept + [
        f"{_INDENT}... {len(lines) - len(kept)} more lines: `grader check --json` shows the "
        "whole message"
    ]


def format_check(check: CheckResult, color: bool, verbose: bool = False) -> list[str]:
    lines = [_status_line(check.status, check.name, _points(check.score, check.max_score), color)]
    body = _message_lines(check.message, color) if check.message else []  # a pass's is a note
    if check.output and (verbose or not check.passed):
        body += _printed_lines(check.output)
    return lines + _cut(body)


def format_cause(cause: Cause, color: bool, every: bool = False) -> list[str]:
    """A cause several checks share: said once, the checks it cost listed under it (or "every
    check" when `every`), then what the first of them saw."""
    first = cause.checks[0]
    points = _points(cause.score, cause.max_score)
    head = f"one cause, {len(cause.checks)} checks"
    lines = [_status_line(first.status, head, points, color)]
    lines += _message_lines(cause.text, color)
    if every:
        lines.append(f"{_INDENT}It cost every check of this exercise.")
    else:
        lines.append(f"{_INDENT}It cost these checks:")
        lines += [
            f"{_INDENT}  {terminal(check.name):<48} {_points(check.score, check.max_score):>7}"
            for check in cause.checks
        ]
    if cause.evidence:
        lines.append(f"{_INDENT}What {terminal(first.name)} saw:")
        lines += _message_lines(cause.evidence, color)
    if first.output:
        lines += _printed_lines(first.output)
    return lines[:1] + _cut(lines[1:])


def format_exercise(
    exercise: Exercise, result: ExerciseResult, color: bool, verbose: bool = False
) -> str:
    head = f"{exercise.number:02d} {exercise.id} - {exercise.title}"
    lines = [click.style(head, bold=True) if color else head]
    if result.status is ExerciseStatus.NOT_ATTEMPTED and not verbose:
        reason = result.checks[0].message if result.checks else "no checks ran"
        lines.append(f"  not attempted: {terminal(reason).splitlines()[0] if reason else ''}")
    else:
        found = causes(result)
        shared = {c.checks[0].name: c for c in found if c.shared}
        said = {check.name for cause in shared.values() for check in cause.checks}
        speaks = {c.checks[0].name: c.checks[0] for c in found}  # a repeated traceback pointed to
        for check in result.checks:
            if check.name in shared:  # a shared cause goes where its first check was
                cause = shared[check.name]
                lines += format_cause(cause, color, len(cause.checks) == len(result.checks))
            elif check.name not in said:
                lines += format_check(speaks.get(check.name, check), color, verbose)
    lines.append(f"  score {_points(result.score, result.max_score)} ({result.status.value})")
    return "\n".join(lines)


def format_summary(result: SubmissionResult) -> str:
    counts: dict[str, int] = {}
    for exercise in result.exercises.values():
        for check in exercise.checks:
            counts[check.status.label] = counts.get(check.status.label, 0) + 1
    detail = ", ".join(f"{n} {label}" for label, n in counts.items())
    return f"Total: {_points(result.total, result.max_total)} points ({detail})"

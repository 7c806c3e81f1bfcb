"""A student's feedback file (Markdown that reads without the grader; a cause several checks share
said once), and the message of a check as it may be shown outside the grader."""

from __future__ import annotations

from grader.reports.causes import Cause, causes, is_detail
from grader.reports.escape import markdown_code_block, markdown_text
from grader.reports.gradebook import exercises_in, number
from grader.workbook.results import BatchRecord, CheckResult, ExerciseResult, ExerciseStatus


def public_text(message: str, visible: bool) -> str:
    """A message as it may be shown: a hidden check's without its inputs, expected values and
    grids of values."""
    if visible:
        return message
    return "\n".join(line for line in message.splitlines() if not is_detail(line))


def public_message(check: CheckResult, visible: bool) -> str:
    """A hidden check's message without its inputs and expected values."""
    return public_text(check.message, visible)


def _cost(cause: Cause, every: bool) -> str:
    if every:
        return "It cost every check of this exercise."
    listed = ", ".join(
        f"`{c.name}` ({number(c.score)} / {number(c.max_score)})" for c in cause.checks
    )
    return f"It cost these checks: {listed}."


def _failed_checks(exercise_id: str, mine: ExerciseResult, visible: frozenset[str]) -> list[str]:
    """Each cause once: a check's own message, or a cause several checks share with the checks
    it cost and what the first of them saw."""
    lines: list[str] = []
    for cause in causes(mine):
        first = cause.checks[0]
        shown = f"{exercise_id}::{first.name}" in visible
        if not cause.shared:
            lines += [
                "",
                f"- **{first.name}** ({first.status.label}, "
                f"{number(first.score)} / {number(first.max_score)})",
                "",
                markdown_code_block(public_text(first.message, shown)),
            ]
            continue
        lines += [
            "",
            f"- **One cause, {len(cause.checks)} checks** ({first.status.label}, "
            f"{number(cause.score)} / {number(cause.max_score)})",
            "",
            markdown_code_block(public_text(cause.text, shown)),
            "",
            _cost(cause, len(cause.checks) == len(mine.checks)),
        ]
        evidence = public_text(cause.evidence, shown)
        if evidence.strip():
            lines += [
                "",
                f"What {markdown_text(first.name)} saw:",
                "",
                markdown_code_block(evidence),
            ]
    return lines


def feedback_markdown(record: BatchRecord, visible_checks: frozenset[str] = frozenset()) -> str:
    result = record.result
    exercises = exercises_in({record.student: record})
    total = sum(e.points for e in exercises)
    lines = [
        f"# Feedback for {markdown_text(record.student)}",
        "",
        f"**Total: {number(result.total)} / {number(total)} points**",
        "",
    ]
    for note in record.notes:
        lines += [f"> Note: {markdown_text(note)}", ""]
    lines += ["| # | exercise | score | status |", "|---|---|---|---|"]
    for e in exercises:
        mine = result.exercises[e.id]
        lines.append(
            f"| {e.number:02d} | {e.title} (`{e.id}`) | {number(mine.score)} / {e.points} | "
            f"{mine.status.value} |"
        )
    for e in exercises:
        mine = result.exercises[e.id]
        failed = [c for c in mine.checks if not c.passed]
        lines += ["", f"## {e.number:02d} {e.title}: {number(mine.score)} / {e.points}", ""]
        if mine.status is ExerciseStatus.NOT_ATTEMPTED:
            reason = failed[0].message.splitlines()[0] if failed and failed[0].message else ""
            lines.append(f"Not attempted: {markdown_text(reason) or 'no checks ran'}")
            continue
        if not failed:
            lines.append("Every check passed.")
            continue
        counts: dict[str, int] = {}
        for check in mine.checks:
            counts[check.status.label] = counts.get(check.status.label, 0) + 1
        lines.append("Checks: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + ".")
        lines += _failed_checks(e.id, mine, visible_checks)
        lines += ["", f"Hint: {e.hints[0]} (tutorial: {e.section})"]
    return "\n".join(lines) + "\n"

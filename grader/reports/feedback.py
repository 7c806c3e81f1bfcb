"""A student's feedback file (Markdown that reads without the grader), and the message of a
check as it may be shown outside the grader."""

from __future__ import annotations

from grader.reports.escape import markdown_code_block, markdown_text
from grader.reports.gradebook import exercises_in, number
from grader.workbook.results import BatchRecord, CheckResult, ExerciseStatus

_DETAIL_PREFIXES = ("Input:", "Expected:", "Got:")


def public_message(check: CheckResult, visible: bool) -> str:
    """A hidden check's message without its inputs and expected values."""
    if visible:
        return check.message
    lines = [line for line in check.message.splitlines() if not line.startswith(_DETAIL_PREFIXES)]
    return "\n".join(lines)


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
        for check in failed:
            message = public_message(check, f"{e.id}::{check.name}" in visible_checks)
            lines += [
                "",
                f"- **{check.name}** ({check.status.label}, "
                f"{number(check.score)} / {number(check.max_score)})",
                "",
                markdown_code_block(message),
            ]
        lines += ["", f"Hint: {e.hints[0]} (tutorial: {e.section})"]
    return "\n".join(lines) + "\n"

"""A student's feedback file (Markdown that reads without the grader; a cause several checks share
said once), and the message of a check as it is shown outside the grader."""

from __future__ import annotations

from grader.reports.causes import Cause, causes
from grader.reports.escape import markdown_code_block, markdown_text
from grader.reports.gradebook import exercises_in, number
from grader.workbook.results import BatchRecord, CheckResult, ExerciseResult, ExerciseStatus


def public_message(check: CheckResult) -> str:
    """A check's message as a feedback file, Gradescope or GitHub Classroom shows it: as the check
    result holds it. What a learner may see is decided once, where the result is made: in a
    graded run a hidden check keeps only what is wrong and the named mistake
    (grader.checking.verdict), while a public check (its inputs and answers fixed by the spec)
    keeps its values, which `grader check` shows anyway. Length needs no cut here: a cause that
    several checks share is said once, and a failed check's terminal block stays within 22 lines
    (tests/test_corpus.py)."""
    return check.message


def _cost(cause: Cause, every: bool) -> str:
    if every:
        return "It cost every check of this exercise."
    listed = ", ".join(
        f"`{c.name}` ({number(c.score)} / {number(c.max_score)})" for c in cause.checks
    )
    return f"It cost these checks: {listed}."


def _failed_checks(mine: ExerciseResult) -> list[str]:
    """Each cause once: a check's own message, or a cause several checks share with the checks
    it cost and what the first of them saw."""
    lines: list[str] = []
    for cause in causes(mine):
        first = cause.checks[0]
        if not cause.shared:
            lines += [
                "",
                f"- **{first.name}** ({first.status.label}, "
                f"{number(first.score)} / {number(first.max_score)})",
                "",
                markdown_code_block(public_message(first)),
            ]
            continue
        lines += [
            "",
            f"- **One cause, {len(cause.checks)} checks** ({first.status.label}, "
            f"{number(cause.score)} / {number(cause.max_score)})",
            "",
            markdown_code_block(cause.text),
            "",
            _cost(cause, len(cause.checks) == len(mine.checks)),
        ]
        evidence = cause.evidence
        if evidence.strip():
            lines += [
                "",
                f"What {markdown_text(first.name)} saw:",
                "",
                markdown_code_block(evidence),
            ]
    return lines


def feedback_markdown(record: BatchRecord) -> str:
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
        lines += _failed_checks(mine)
        lines += ["", f"Hint: {e.hints[0]} (tutorial: {e.section})"]
    return "\n".join(lines) + "\n"

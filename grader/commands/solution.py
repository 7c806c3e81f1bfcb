"""`grader solution ID [--give-up]`: the reference solution of one exercise, for a self-learner
who cloned the full project, once the exercise passes in the learner's own `exercises/` (a
`grader check` of that folder that gave it full points; another folder or a zip unlocks nothing)
or after an explicit `--give-up`, which is remembered (`grader list` shows it). A
handout has no reference to show."""

from __future__ import annotations

import click

from grader.commands.check import chosen_exercises
from grader.workbook import state
from grader.workbook.paths import SOLUTIONS_DIR, is_handout


def run_solution(exercise_id: str, give_up: bool) -> int:
    """The exit code: 0 when the reference was shown."""
    exercise = chosen_exercises((exercise_id,))[0]
    if is_handout():
        click.echo(
            "There is no reference solution in this copy (a handout from your instructor); "
            f"`grader hint {exercise.id}` gives the next hint.",
            err=True,
        )
        return 1
    if give_up:
        state.mark("gave_up", exercise.id)
    elif exercise.id not in state.marked("passed") | state.marked("gave_up"):
        click.echo(
            f"{exercise.id} has not passed yet: its reference solution is shown once "
            f"`grader check {exercise.id}` gives your own exercises/ file full points (another "
            "folder given with --submission does not count), or now with "
            f"`grader solution {exercise.id} --give-up` (remembered: `grader list` shows it). "
            f"`grader hint {exercise.id}` gives the next hint.",
            err=True,
        )
        return 1
    click.echo(f"# The reference solution of exercise {exercise.number:02d} ({exercise.id})\n")
    click.echo((SOLUTIONS_DIR / exercise.filename).read_text(encoding="utf-8"))
    return 0

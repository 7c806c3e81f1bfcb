"""`grader hint`: an exercise's hints, one level at a time."""

from __future__ import annotations

import click

from grader.commands.check import chosen_exercises
from grader.workbook import state


def run_hint(exercise_id: str, level: int | None) -> None:
    exercise = chosen_exercises((exercise_id,))[0]
    available = len(exercise.hints)
    if level is not None and level > available:
        raise click.UsageError(f"{exercise.id} has {available} hint levels")
    level = level or state.next_hint_level(exercise.id, available)
    click.echo(f"{exercise.id}, hint {level} of {available} (tutorial: {exercise.section}):\n")
    click.echo(exercise.hints[level - 1])
    if level < available:
        click.echo(f"\nStill stuck? `grader hint {exercise.id}` again shows hint {level + 1}.")

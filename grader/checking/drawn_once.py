"""Inputs that a driver draws in the worker and that are the same for every submission of a run:
08's training digits, whose seed depends only on the grading key and the check file. They are
named among a worker's warm-ups ("digits:N:SEED"), so that the zygote draws them once, before it
forks, and no student's budget pays for them (a worker started afresh draws them before it says
ready: not charged either). The same submission and key get the same grade in any batch."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

from grader.workbook.catalog import Exercise, load_catalog
from grader.workbook.exercise_folder import INPUTS, part
from grader.workbook.grading_key import Seeds, seed_scope


def warm_up(exercise: Exercise, key: bytes | None) -> tuple[str, ...]:
    """The exercise's warm-ups, with the digit sets its inputs declare (`DRAWN_ONCE`: (name of
    the seed, its public value, how many digits)) drawn from this run's seeds."""
    return exercise.warm_up + _drawn(exercise.id, key)


@lru_cache(maxsize=32)
def _drawn(exercise_id: str, key: bytes | None) -> tuple[str, ...]:
    exercise = next(e for e in load_catalog() if e.id == exercise_id)
    path = part(exercise, INPUTS)
    if path is None:
        return ()
    seeds = Seeds(key, seed_scope(exercise))
    return tuple(
        f"digits:{count}:{seeds.get(name, public)}" for name, public, count in _declared(path)
    )


def _declared(path: Path) -> tuple:
    """`DRAWN_ONCE` of an inputs.py, read without importing it (that imports torch, which
    `grader check` overlaps with the worker's start)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == [
            "DRAWN_ONCE"
        ]:
            return ast.literal_eval(node.value)
    return ()

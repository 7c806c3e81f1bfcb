"""Small helpers for the grader's own tests: write a fake submission and grade it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from grader.checking.runner import run_checks
from grader.workbook.catalog import exercise_by_id
from grader.workbook.paths import SOLUTIONS_DIR
from grader.workbook.stubs import stub_from_reference


def write(folder: Path, exercise_id: str, source: str | None = None) -> Path:
    """Write the exercise's file: `source` (dedented), or the reference when None."""
    exercise = exercise_by_id(exercise_id)
    folder.mkdir(parents=True, exist_ok=True)
    text = (
        (SOLUTIONS_DIR / exercise.filename).read_text()
        if source is None
        else textwrap.dedent(source)
    )
    path = folder / exercise.filename
    path.write_text(text)
    return path


def grade(folder: Path, *exercise_ids: str, timeout: float | None = None):
    exercises = [exercise_by_id(i) for i in exercise_ids] or None
    args = [f"--check-timeout={timeout}"] if timeout else None
    return run_checks(submission=folder, exercises=exercises, pytest_args=args)


def stub_text(filename: str) -> str:
    """An untouched stub for the exercise file `filename`, made from its reference: the tests never
    read exercises/, which is the learner's to fill in."""
    return stub_from_reference((SOLUTIONS_DIR / filename).read_text())


def write_stubs(folder: Path) -> Path:
    """Every exercise's stub in `folder` (created), as a learner's checkout starts."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(SOLUTIONS_DIR.glob("[0-9][0-9]_*.py")):
        (folder / path.name).write_text(stub_text(path.name))
    return folder

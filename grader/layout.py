"""Where an exercise's file sits in a submission (torch-free, so the CLI can use it before
starting a worker)."""

from __future__ import annotations

from pathlib import Path

from grader.catalog import Exercise


def find_exercise_file(submission_dir: Path, exercise: Exercise) -> Path | None:
    """The exercise's file at the top of the submission or one folder down, never via a link out."""
    root = submission_dir.resolve()
    candidates = [submission_dir / exercise.filename]
    if submission_dir.is_dir():
        candidates += sorted(child / exercise.filename for child in submission_dir.iterdir()
                             if child.is_dir() and not child.name.startswith((".", "__")))
    for candidate in candidates:
        if candidate.is_file() and candidate.resolve().is_relative_to(root):
            return candidate
    return None

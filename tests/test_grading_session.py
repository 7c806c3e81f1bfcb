"""A batch's grading process keeps one pytest session for all its submissions
(grader/commands/grading_session.py): each submission gets what a session of its own gives it,
whatever was graded before it in the same process."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.workbook.catalog import load_catalog
from grader.workbook.paths import SOLUTIONS_DIR
from grader.workbook.run_settings import CheckSettings

_IDS = ("edge_filter", "count_parameters")


def _folder(root: Path, name: str, mistake=None, files: bool = True) -> Path:
    folder = root / name
    folder.mkdir()
    for exercise in load_catalog():
        if exercise.id not in _IDS or not files:
            continue
        text = (SOLUTIONS_DIR / exercise.filename).read_text()
        if mistake is not None and mistake.exercise == exercise.id:
            for old, new in mistake.edits:
                text = text.replace(old, new)
        (folder / exercise.filename).write_text(text)
    return folder


@pytest.mark.parametrize("graded", [False, True], ids=["public", "graded"])
def test_each_submission_grades_as_in_a_session_of_its_own(tmp_path, monkeypatch, graded):
    from grader.checking.runner import run_checks
    from grader.commands import grading_session as session
    from tests.corpus import WRONG

    key = None
    if graded:
        key = tmp_path / "grading.key"
        key.write_text("5e" * 32 + "\n")
    settings = CheckSettings(key_file=key)
    exercises = [e for e in load_catalog() if e.id in _IDS]
    mistakes = [next(v for v in WRONG if v.exercise == exercise_id) for exercise_id in _IDS]
    order = [
        _folder(tmp_path, "reference"),
        _folder(tmp_path, "mistake1", mistakes[0]),
        _folder(tmp_path, "nothing", files=False),
        _folder(tmp_path, "mistake2", mistakes[1]),
    ]
    order.append(order[0])  # the reference again, after all the others
    made = []
    real = session.GradingSession.__init__

    def counted(self, *args, **kwargs) -> None:
        made.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(session.GradingSession, "__init__", counted)
    monkeypatch.setattr(session, "_kept", None)
    monkeypatch.setattr(session, "_keeping", True)  # as in a batch's grading process
    kept = []
    for folder in order:
        kept.append(session.run_in_session(folder, exercises, settings).to_json())
        for item in session._kept.items:  # what a check leaves on its item must not carry over
            item.user_properties.append(("note", "left by the submission before"))
    alone = [
        run_checks(submission=folder, exercises=exercises, settings=settings).to_json()
        for folder in order
    ]
    session._kept.close()
    assert len(made) == 1  # one session for all five
    scores = [sum(e["score"] for e in result["exercises"].values()) for result in kept]
    assert scores[0] == scores[4] > max(scores[1:4]), scores  # the mistakes cost points
    for folder, in_kept, in_own in zip(order, kept, alone):
        assert in_kept == in_own, folder.name
    assert "left by the submission before" not in repr(kept)

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


_HOSTILE = {  # a submission that works the diagnoses' extra calls, its time limits and reply limits
    "edge_filter": (
        ("return torch.sqrt(gh**2 + gv**2)", "return gh**2 + gv**2"),
        (  # convolve2d hangs when the check, not edge_magnitude, calls it: the own-block calls
            "    if image.dim() != 2",
            "    import sys, time\n    print('x' * 100000)\n"
            "    if padding == 1 and sys._getframe(1).f_code.co_name != 'edge_magnitude':\n"
            "        time.sleep(60)\n    if image.dim() != 2",
        ),
    ),
    "count_parameters": (  # answers too large to check, in a block and in the total
        (
            "    return out_channels * in_channels",
            "    return 10**4200 + out_channels * in_channels",
        ),
    ),
}


def test_a_hostile_submission_changes_nothing_for_the_next(tmp_path, monkeypatch):
    # the next student's results in the kept session are the ones it gets graded first and alone
    from grader.checking import expected_memo
    from grader.checking.runner import run_checks
    from grader.commands import grading_session as session
    from tests.corpus import WRONG

    settings = CheckSettings()
    exercises = [e for e in load_catalog() if e.id in _IDS]
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    for exercise in exercises:
        text = (SOLUTIONS_DIR / exercise.filename).read_text()
        for old, new in _HOSTILE[exercise.id]:
            assert old in text, old
            text = text.replace(old, new)
        (hostile / exercise.filename).write_text(text)
    mistake = next(v for v in WRONG if v.exercise == "edge_filter")
    following = [_folder(tmp_path, "mistake", mistake), _folder(tmp_path, "reference")]
    monkeypatch.setattr(expected_memo, "_memo", type(expected_memo._memo)())
    alone = [run_checks(submission=f, exercises=exercises, settings=settings) for f in following]
    monkeypatch.setattr(expected_memo, "_memo", type(expected_memo._memo)())
    monkeypatch.setattr(session, "_kept", None)
    monkeypatch.setattr(session, "_keeping", True)
    first = session.run_in_session(hostile, exercises, settings).to_json()
    kept = [session.run_in_session(f, exercises, settings).to_json() for f in following]
    session._kept.close()
    assert "too large to check" in repr(first) and "time limit" in repr(first)
    assert kept == [result.to_json() for result in alone]

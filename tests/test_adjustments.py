"""The late policy and the overrides file, read and applied without grading."""

from __future__ import annotations

import pytest

from grader.workbook.adjustments import AdjustmentError, apply, read_overrides, read_policy
from grader.workbook.results import (
    BatchRecord,
    CheckResult,
    ExerciseResult,
    Status,
    SubmissionResult,
)


def record(student: str, score: float, **entry: str) -> BatchRecord:
    check = CheckResult("c", Status.PASSED if score == 25 else Status.FAILED, score, 25.0)
    result = SubmissionResult({"edge_filter": ExerciseResult("edge_filter", 25.0, [check])})
    return BatchRecord(student, student, result, ["edge_filter"], entry=dict(entry))


def test_per_hour_penalty_is_capped_and_a_canvas_mark_without_time_counts_as_said(tmp_path):
    policy = tmp_path / "p.toml"
    policy.write_text("deadline = 2026-11-03T12:00:00\npenalty_per_hour = 5\ncap = 20\n")
    records = {
        "bb": record("bb", 25, attempt="2026-11-03-14-30-00"),  # 3 started hours: 15%
        "slow": record("slow", 25, attempt="2026-11-04-12-00-00"),  # 24 hours, capped at 20%
        "cv": record("cv", 20, late="LATE (Canvas)"),
        "odd": record("odd", 25, attempt="2026-13-45-00-00-00"),
    }
    _, summary = apply(records, [], read_policy(policy))
    assert summary["bb"]["late"]["percent"] == 15 and summary["bb"]["final_total"] == 21.25
    assert summary["slow"]["late"]["percent"] == 20
    assert summary["cv"]["late"]["units"] == 1 and summary["cv"]["final_total"] == 19.0
    assert summary["odd"]["late"]["percent"] == 0 and "not a date" in summary["odd"]["late"]["said"]


def test_overrides_replace_points_keep_the_raw_score_and_say_why(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text(
        "student,exercise,points,reason\nana,edge_filter,30,regrade request\n"
        "ana,,,see me\nnobody,edge_filter,1,typo\n"
    )
    changed, summary = apply({"ana": record("ana", 10)}, read_overrides(path), None)
    exercise = changed["ana"].result.exercises["edge_filter"]
    assert exercise.score == 25  # at most the exercise's points
    assert exercise.checks[0].name == "override" and "regrade request" in exercise.checks[0].message
    assert summary["ana"]["raw_total"] == 10 and summary["ana"]["final_total"] == 25
    assert any("TA comment: see me" in n for n in changed["ana"].notes)
    assert summary[""]["unmatched_overrides"] == ["line 4: nobody"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("student,exercise,points\n", "first row"),
        ("student,exercise,points,reason\nana,edge_filter,ten,x\n", "line 2: points 'ten'"),
        ("student,exercise,points,reason\nana,edge_filter,3,\n", "says why"),
    ],
)
def test_a_bad_overrides_file_says_what_and_where(tmp_path, text, message):
    (tmp_path / "o.csv").write_text(text)
    with pytest.raises(AdjustmentError, match=message):
        read_overrides(tmp_path / "o.csv")


def test_a_bad_policy_says_what(tmp_path):
    (tmp_path / "p.toml").write_text('deadline = "soon"\n')
    with pytest.raises(AdjustmentError, match="not a date"):
        read_policy(tmp_path / "p.toml")

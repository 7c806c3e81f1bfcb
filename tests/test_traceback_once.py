"""A traceback several checks show is shown once (grader/reports/traceback_once.py): in the
terminal report, `grader check` and the per-student feedback of `grader grade`, later checks say
"Same error as <check> above"."""

from __future__ import annotations

import json

from grader.checking.runner import run_checks
from grader.exports.gradescope.results import results_json
from grader.reports.causes import causes
from grader.reports.feedback import feedback_markdown
from grader.reports.terminal import format_exercise
from grader.reports.traceback_once import shown_once
from grader.workbook.catalog import exercise_by_id
from grader.workbook.paths import SOLUTIONS_DIR
from grader.workbook.results import (
    BatchRecord,
    CheckResult,
    ExerciseResult,
    Status,
    SubmissionResult,
)

_FRAMES = (
    '  File "01_edge_filter.py", line 33, in convolve2d\n    out[i, j] = (patch * kernel).sum()\n'
)
_ERROR = "RuntimeError: The size of tensor a (2) must match the size of tensor b (3)"
_MEANS = "What this means: sizes differ.\nWhat to check: print the shapes."


def _error(name: str, call: str, words: str = _MEANS) -> CheckResult:
    message = f"{call} raised {_ERROR}\n{_FRAMES}{_ERROR}\n{words}"
    return CheckResult(name, Status.ERROR, 0, 2, message)


def _exercise() -> ExerciseResult:
    return ExerciseResult(
        "edge_filter",
        8,
        [
            _error("convolve2d_matches_conv2d", "convolve2d"),
            CheckResult("filter[vertical]", Status.PASSED, 2, 2),
            _error("convolve2d_stride[2]", "convolve2d with stride=2"),
            _error("convolve2d_padding[1]", "convolve2d", _MEANS.replace("print", "pad; print")),
        ],
    )


def test_a_later_repeat_points_to_the_first_and_keeps_its_own_words():
    first, passed, repeat, own = shown_once(_exercise().checks)
    assert first.message.count(_FRAMES) == 1 and passed.message == ""
    assert repeat.message == (
        f"convolve2d with stride=2 raised {_ERROR}\nSame error as convolve2d_matches_conv2d above."
    )
    assert _FRAMES not in own.message and "Same error as convolve2d_matches_conv2d" in own.message
    assert "What to check: pad; print the shapes." in own.message  # its own advice is kept


def test_different_tracebacks_and_messages_without_one_are_left_as_they_are():
    other = CheckResult("b", Status.ERROR, 0, 1, _error("b", "f").message.replace("33", "34"))
    plain = CheckResult("c", Status.FAILED, 0, 1, "convolve2d has the wrong shape.")
    checks = [_error("a", "f"), other, plain]
    assert shown_once(checks) == checks


def _text_of_every_writer(result: ExerciseResult) -> dict[str, str]:
    record = BatchRecord("ana", "ana", SubmissionResult({"edge_filter": result}), ["edge_filter"])
    return {
        "terminal": format_exercise(exercise_by_id("edge_filter"), result, color=False),
        "feedback": feedback_markdown(record),
        "gradescope": json.dumps(results_json(record, 1.0)),
        "causes": "\n".join(c.text + c.evidence for c in causes(result)),
    }


def test_every_writer_shows_the_traceback_once():
    for writer, text in _text_of_every_writer(_exercise()).items():
        assert text.count("line 33, in convolve2d") == 1, f"{writer}:\n{text}"
        assert "Same error as convolve2d_matches_conv2d above." in text, writer


def test_a_real_grading_shows_a_repeated_traceback_once(tmp_path):
    source = (SOLUTIONS_DIR / "01_edge_filter.py").read_text()
    wrong = "    out_h = (padded.shape[0] - kh) // stride + 1"
    assert wrong in source
    (tmp_path / "01_edge_filter.py").write_text(source.replace(wrong, wrong[:-1] + "2"))
    result = run_checks(submission=tmp_path, exercises=[exercise_by_id("edge_filter")])
    graded = result.exercises["edge_filter"]
    errors = [c for c in graded.checks if c.status is Status.ERROR]
    assert len(errors) >= 3  # several checks raised the same error
    texts = _text_of_every_writer(graded)
    for writer in ("terminal", "feedback"):
        # convolve2d's own frame: once alone, once under edge_magnitude's (a different traceback)
        assert texts[writer].count("in convolve2d\n") == 2, f"{writer}:\n{texts[writer]}"
        assert "Same error as convolve2d_matches_conv2d above." in texts[writer]

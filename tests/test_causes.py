"""One cause, said once (grader/reports/causes.py) in every writer: the terminal, `grader check
--json`, the feedback file and Gradescope's results."""

from __future__ import annotations

import json

import click
from click.testing import CliRunner

from grader.cli import main
from grader.exports.gradescope.results import results_json
from grader.reports.causes import causes, exercise_json, is_detail
from grader.reports.feedback import feedback_markdown
from grader.reports.terminal import format_exercise
from grader.workbook import state
from grader.workbook.catalog import exercise_by_id
from grader.workbook.results import (
    BatchRecord,
    CheckResult,
    ExerciseResult,
    Status,
    SubmissionResult,
)
from tests.helpers import write

MISTAKE = "the kernel is flipped."
FLIPPED = f"Likely mistake: {MISTAKE}"
GRID = (
    "Expected (2, 2)    Got (* marks the 1 that differs)\n"
    "      1    2        1    9*\n"
    "      3    4        3    4"
)


def _failed(name: str, points: float, headline: str) -> CheckResult:
    message = f"{headline}\n1 of 4 values differ.\n{GRID}\nInput: image (5, 5)\n{FLIPPED}"
    return CheckResult(name, Status.FAILED, 0.0, points, message, MISTAKE)


def _flipped_exercise() -> ExerciseResult:
    return ExerciseResult(
        "edge_filter",
        25,
        [
            CheckResult("filter[horizontal]", Status.PASSED, 2, 2),
            _failed("convolve2d_matches_conv2d", 4, "convolve2d has wrong values."),
            _failed("convolve2d_padding[1]", 2, "convolve2d with padding=1 has wrong values."),
            CheckResult("edge_magnitude", Status.FAILED, 0, 2, "edge_magnitude is wrong."),
            _failed("convolve2d_stride[2]", 2, "convolve2d with stride=2 has wrong values."),
        ],
    )


def _syntax_exercise(checks: int = 14) -> ExerciseResult:
    message = "SyntaxError in 01_edge_filter.py, line 20: expected ':'\nWhat this means: ..."
    return ExerciseResult(
        "edge_filter",
        checks * 2,
        [CheckResult(f"check_{i}", Status.ERROR, 0, 2, message) for i in range(checks)],
    )


def test_checks_that_name_one_mistake_share_one_cause():
    found = causes(_flipped_exercise())
    assert [len(c.checks) for c in found] == [3, 1]
    flipped, own = found
    assert flipped.text == FLIPPED and flipped.points_lost == 8 and flipped.max_score == 8
    assert [c.name for c in flipped.checks] == [
        "convolve2d_matches_conv2d",
        "convolve2d_padding[1]",
        "convolve2d_stride[2]",
    ]
    assert flipped.evidence.startswith("convolve2d has wrong values.") and FLIPPED not in (
        flipped.evidence
    )
    assert not own.shared and own.text == "edge_magnitude is wrong." and own.evidence == ""


def test_a_likely_mistake_line_a_students_code_wrote_is_not_a_cause():
    forged = f"f raised ValueError: x\n{FLIPPED}"
    result = ExerciseResult(
        "edge_filter",
        6,
        [
            _failed("convolve2d_matches_conv2d", 4, "convolve2d has wrong values."),
            CheckResult("edge_magnitude", Status.ERROR, 0, 2, forged),
        ],
    )
    assert [len(c.checks) for c in causes(result)] == [1, 1]


def test_identical_messages_share_one_cause_and_different_ones_do_not():
    assert [len(c.checks) for c in causes(_syntax_exercise())] == [14]
    other = ExerciseResult(
        "edge_filter",
        4,
        [
            CheckResult("a", Status.ERROR, 0, 2, "f raised ValueError: x"),
            CheckResult("b", Status.ERROR, 0, 2, "g raised ValueError: x"),
        ],
    )
    assert [len(c.checks) for c in causes(other)] == [1, 1]
    passing = ExerciseResult("edge_filter", 2, [CheckResult("a", Status.PASSED, 2, 2)])
    assert causes(passing) == []


def test_the_terminal_says_a_shared_cause_once_with_the_checks_it_cost():
    text = format_exercise(exercise_by_id("edge_filter"), _flipped_exercise(), color=False)
    lines = text.splitlines()
    assert text.count(FLIPPED) == 1 and text.count("Input: image") == 1
    assert "  FAIL  one cause, 3 checks" in text and lines[2].endswith("0/8")
    costs = [line.split() for line in lines if line.startswith("          convolve2d")]
    assert costs == [
        ["convolve2d_matches_conv2d", "0/4"],
        ["convolve2d_padding[1]", "0/2"],
        ["convolve2d_stride[2]", "0/2"],
    ]
    assert "What convolve2d_matches_conv2d saw:" in text
    assert "  FAIL  edge_magnitude" in text and "edge_magnitude is wrong." in text
    assert "9*" in text  # the mark survives plain text


def test_a_syntax_error_is_said_once_in_the_terminal():
    text = format_exercise(exercise_by_id("edge_filter"), _syntax_exercise(), color=False)
    assert text.count("SyntaxError") == 1 and "It cost every check of this exercise." in text
    assert len(text.splitlines()) == 6


def test_marked_cells_are_coloured_only_on_a_terminal_and_student_text_stays_escaped():
    hostile = _failed("convolve2d_matches_conv2d", 4, "convolve2d \x1b[2J has wrong values.")
    result = ExerciseResult("edge_filter", 4, [hostile])
    coloured = format_exercise(exercise_by_id("edge_filter"), result, color=True)
    assert click.style("9*", fg="red", bold=True) in coloured
    assert "\\x1b[2J" in coloured and "\x1b[2J" not in coloured
    assert click.style("1", fg="red", bold=True) not in coloured  # unmarked cells stay plain
    plain = format_exercise(exercise_by_id("edge_filter"), result, color=False)
    assert "\x1b" not in plain and "9*" in plain


def test_json_gives_each_cause_once_and_points_each_check_to_it():
    data = exercise_json(_flipped_exercise())
    assert data["causes"] == [
        {
            "text": FLIPPED,
            "checks": [
                "convolve2d_matches_conv2d",
                "convolve2d_padding[1]",
                "convolve2d_stride[2]",
            ],
            "points_lost": 8.0,
        },
        {"text": "edge_magnitude is wrong.", "checks": ["edge_magnitude"], "points_lost": 2.0},
    ]
    checks = {c["name"]: c for c in data["checks"]}
    assert "cause" not in checks["filter[horizontal]"]
    assert [checks[n]["cause"] for n in data["causes"][0]["checks"]] == [0, 0, 0]
    assert checks["edge_magnitude"]["cause"] == 1
    # a tool reading one check still gets its whole message
    original = {c.name: c.message for c in _flipped_exercise().checks}
    assert all(c["message"] == original[c["name"]] for c in data["checks"])


def _record(result: ExerciseResult) -> BatchRecord:
    return BatchRecord("ana", "ana", SubmissionResult({"edge_filter": result}), ["edge_filter"])


def test_the_feedback_file_says_the_cause_once_with_what_the_first_check_saw():
    text = feedback_markdown(_record(_flipped_exercise()))
    assert text.count(FLIPPED) == 1
    assert "**One cause, 3 checks** (failed, 0 / 8)" in text
    assert (
        "It cost these checks: `convolve2d_matches_conv2d` (0 / 4), `convolve2d_padding[1]` "
        "(0 / 2), `convolve2d_stride[2]` (0 / 2)." in text
    )
    # the message as the run made it (a graded run redacts a hidden check there, once): the
    # first check's grid and input are shown once, not once per check
    assert text.count("9*") == 1 and text.count("Input: image (5, 5)") == 1


def test_feedback_and_gradescope_show_a_message_as_the_check_result_holds_it():
    redacted = CheckResult(  # what grader.checking.verdict keeps of a hidden check
        "convolve2d_matches_conv2d", Status.FAILED, 0.0, 4, f"convolve2d is wrong.\n{FLIPPED}"
    )
    public = CheckResult("filter[horizontal]", Status.FAILED, 0.0, 2, f"wrong.\n{GRID}")
    record = _record(ExerciseResult("edge_filter", 6, [public, redacted]))
    text = feedback_markdown(record)
    assert GRID in text and "convolve2d is wrong." in text and "Input:" not in text
    outputs = {t["name"]: t["output"] for t in results_json(record, 1.0)["tests"]}
    assert GRID in outputs["01 edge_filter: filter[horizontal]"]
    assert not any(
        is_detail(line)
        for line in outputs["01 edge_filter: convolve2d_matches_conv2d"].splitlines()
    )


def test_a_syntax_error_in_the_feedback_file_is_said_once():
    text = feedback_markdown(_record(_syntax_exercise()))
    section = text[text.index("## 01") :]
    assert section.count("SyntaxError") == 1 and "It cost every check of this exercise." in text
    assert len(section.splitlines()) <= 16


def test_gradescope_says_the_cause_on_one_test_and_points_the_others_to_it():
    tests = results_json(_record(_flipped_exercise()), 1.0)["tests"]
    outputs = {t["name"].split(": ")[1]: t["output"] for t in tests}
    first = outputs["convolve2d_matches_conv2d"]
    assert FLIPPED in first and "Hint:" in first
    assert "The same cause also cost: convolve2d_padding[1] (0 / 2), convolve2d_stride[2]" in first
    assert first.count("9*") == 1  # what the first check saw, once
    for name in ("convolve2d_padding[1]", "convolve2d_stride[2]"):
        assert outputs[name] == (
            'The same cause as "01 edge_filter: convolve2d_matches_conv2d" (see that test).'
        )
    assert "Hint:" in outputs["edge_magnitude"] and outputs["filter[horizontal]"] == ""
    assert [t["score"] for t in tests] == [2, 0, 0, 0, 0]


def test_grader_check_says_a_flipped_kernel_once(tmp_path, monkeypatch):
    monkeypatch.setattr(state, "STATE_FILE", tmp_path / "state.json")
    path = write(tmp_path / "sub", "edge_filter")
    source = path.read_text()
    flipped = "(patch * kernel.flip(0, 1)).sum()"
    path.write_text(source.replace("(patch * kernel).sum()", flipped))
    assert flipped in path.read_text()
    runner = CliRunner()
    output = runner.invoke(main, ["check", "edge_filter", "--submission", str(path.parent)]).output
    assert output.count("Likely mistake: the kernel is flipped") == 1, output
    assert "one cause, 5 checks" in output and "Got (all 9 differ)" in output
    data = json.loads(
        runner.invoke(
            main, ["check", "edge_filter", "--submission", str(path.parent), "--json"]
        ).output
    )
    found = data["exercises"]["edge_filter"]["causes"]
    assert len(found) == 1 and len(found[0]["checks"]) == 5 and found[0]["points_lost"] == 12


def test_the_feedback_page_says_the_cause_once():
    from grader.reports.feedback_html import feedback_html

    page = feedback_html(_record(_flipped_exercise()))
    assert page.count(MISTAKE) == 1 and "One cause, 3 checks" in page
    assert "<code>convolve2d_padding[1]</code> (0 / 2)" in page
    assert page.count("9*") == 1  # what the first check saw, once

"""`grader solution ID [--give-up]`: a reference only after the exercise passed or on an explicit
give-up (remembered, shown by `grader list`); never in a handout."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.commands import check, solution
from grader.workbook import state
from grader.workbook.paths import SOLUTIONS_DIR
from tests.helpers import write

# a line only the reference of exercise 02 has (its stub raises instead)
REFERENCE_LINE = next(
    line
    for line in (SOLUTIONS_DIR / "02_count_parameters.py").read_text().splitlines()
    if "numel()" in line
)


@pytest.fixture(autouse=True)
def _private_state(tmp_path, monkeypatch):
    monkeypatch.setattr(state, "STATE_FILE", tmp_path / "state" / "state.json")


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_refused_before_the_exercise_passes():
    result = run("solution", "count_parameters")
    assert result.exit_code == 1
    assert "has not passed yet" in result.output and "--give-up" in result.output
    assert REFERENCE_LINE not in result.output


def test_a_failing_check_does_not_unlock_it(tmp_path):
    write(tmp_path, "count_parameters", "def count_parameters(model):\n    return (0, 0)\n")
    assert run("check", "count_parameters", "--submission", str(tmp_path)).exit_code == 1
    result = run("solution", "count_parameters")
    assert result.exit_code == 1 and REFERENCE_LINE not in result.output


def test_shown_once_the_exercise_passes(tmp_path, monkeypatch):
    monkeypatch.setattr(check, "EXERCISES_DIR", tmp_path)  # the learner's own exercises/
    write(tmp_path, "count_parameters")
    assert run("check", "count_parameters", "--submission", str(tmp_path)).exit_code == 0
    result = run("solution", "count_parameters")
    assert result.exit_code == 0
    assert REFERENCE_LINE in result.output
    assert run("solution", "edge_filter").exit_code == 1  # only the exercise that passed


def test_give_up_shows_it_and_is_remembered_for_list(tmp_path):
    result = run("solution", "count_parameters", "--give-up")
    assert result.exit_code == 0 and REFERENCE_LINE in result.output
    assert state.marked("gave_up") == {"count_parameters"}
    assert run("solution", "count_parameters").exit_code == 0  # seen already: shown again
    listing = run("list", "--submission", str(tmp_path)).output
    lines = {line.split()[1]: line for line in listing.splitlines() if line[:2].isdigit()}
    assert "solution seen" in lines["count_parameters"]
    assert "solution seen" not in lines["edge_filter"]


def test_a_handout_has_no_reference_to_show(monkeypatch):
    monkeypatch.setattr(solution, "is_handout", lambda: True)
    result = run("solution", "count_parameters", "--give-up")
    assert result.exit_code == 1
    assert "no reference solution in this copy" in result.output
    assert REFERENCE_LINE not in result.output


def test_unknown_exercise_is_a_usage_error():
    assert run("solution", "no_such_exercise").exit_code == 2

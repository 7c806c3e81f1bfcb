"""The learner's command line, end to end, through click's runner."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.workbook import state
from grader.workbook.catalog import load_catalog
from tests.helpers import stub_text, write


@pytest.fixture(autouse=True)
def _private_state(tmp_path, monkeypatch):
    monkeypatch.setattr(state, "STATE_FILE", tmp_path / "state" / "state.json")


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_passes_with_exit_0_and_json(tmp_path):
    write(tmp_path / "sub", "count_parameters")
    result = run("check", "count_parameters", "--submission", str(tmp_path / "sub"), "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["total"] == data["max_total"] == 12
    checks = data["exercises"]["count_parameters"]["checks"]
    assert {"name", "score", "max_score", "passed", "message"} <= set(checks[0])
    assert all(c["passed"] for c in checks)


def test_check_fails_with_exit_1_and_shows_the_message(tmp_path):
    write(tmp_path, "count_parameters", "def count_parameters(model):\n    return (0, 0)\n")
    result = run("check", "02", "--submission", str(tmp_path))
    assert result.exit_code == 1
    assert "count_parameters(model) as (total, trainable) is wrong." in result.output
    assert "Both values (total and trainable) are 0, expected 23,717." in result.output
    assert "Total: 0/12" in result.output


def test_usage_errors_exit_2(tmp_path):
    assert run("check", "no_such_exercise").exit_code == 2
    assert run("check", "--submission", str(tmp_path / "missing")).exit_code == 2
    assert run("hint", "edge_filter", "--level", "9").exit_code == 2


def test_hints_come_one_level_at_a_time():
    outputs = [run("hint", "simple_cnn").output for _ in range(4)]
    assert "hint 1 of 3" in outputs[0] and "hint 2 of 3" in outputs[1]
    assert "hint 3 of 3" in outputs[2] and "hint 3 of 3" in outputs[3]
    assert "hint 2 of 3" in run("hint", "simple_cnn", "--level", "2").output


def test_list_shows_status_and_points(tmp_path):
    write(tmp_path, "count_parameters")
    (tmp_path / "01_edge_filter.py").write_text(stub_text("01_edge_filter.py"))
    output = run("list", "--submission", str(tmp_path)).output
    lines = {line.split()[1]: line for line in output.splitlines() if line[:2].isdigit()}
    assert len(lines) == len(load_catalog())
    assert "passing" in lines["count_parameters"] and "12/12" in lines["count_parameters"]
    assert "not attempted" in lines["edge_filter"] and "not attempted" in lines["train_digits"]


def test_junit_xml(tmp_path):
    write(tmp_path, "count_parameters")
    run(
        "check",
        "count_parameters",
        "--submission",
        str(tmp_path),
        "--junit",
        str(tmp_path / "out.xml"),
    )
    xml = (tmp_path / "out.xml").read_text()
    assert 'tests="7"' in xml and 'failures="0"' in xml


def test_the_tests_keep_away_from_a_learners_state(tmp_path):
    """`grader hint` run as a learner would, from this test run: its state goes to the run's own
    file ($CNN_GRADER_STATE, set by tests/conftest.py), not to the project's .grader/."""
    import os
    import subprocess
    import sys

    learner = state._DEFAULT
    before = learner.stat().st_mtime_ns if learner.exists() else None
    grader = str(Path(sys.executable).with_name("grader"))
    subprocess.run([grader, "hint", "edge_filter"], check=True, capture_output=True)
    after = learner.stat().st_mtime_ns if learner.exists() else None
    assert after == before
    assert "edge_filter" in Path(os.environ["CNN_GRADER_STATE"]).read_text()


def test_what_the_code_printed_is_shown_under_failed_checks_and_with_verbose(tmp_path):
    source = (
        "def count_parameters(model):\n    print('counting', type(model).__name__)\n"
        "    return (0, 0)\n\n"
        "def linear_param_count(in_features, out_features, bias=True):\n"
        "    print('LINEAR-CALLED', in_features)\n"
        "    return out_features * in_features + (out_features if bias else 0)\n"
    )
    write(tmp_path, "count_parameters", source)
    plain = run("check", "02", "--submission", str(tmp_path)).output
    verbose = run("check", "02", "--submission", str(tmp_path), "-v").output
    assert "Your code printed" in plain and "counting" in plain
    assert "LINEAR-CALLED" not in plain  # linear_param_count passes: shown only with --verbose
    assert "LINEAR-CALLED" in verbose

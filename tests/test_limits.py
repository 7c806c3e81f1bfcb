"""The worker's limits: written in workbook.toml or with --limit, enforced, and named when hit."""

from __future__ import annotations

import pytest

from grader.checking.runner import run_checks
from grader.workbook.catalog import CatalogError, exercise_by_id, parse_limits
from grader.workbook.limits import Limits, parse_value, with_overrides
from grader.workbook.run_settings import CheckSettings
from tests.helpers import write
from tests.test_statuses import COUNT_PARAMETERS_OK_EXCEPT


def _grade(folder, *limits: str, timeout: float | None = None, in_memory: bool = False) -> dict:
    """Graded with the limits as pytest's options (`pytest checks`), or as the grader hands them:
    a CheckSettings object, parsed once, in memory."""
    exercises = [exercise_by_id("count_parameters")]
    if in_memory:
        settings = CheckSettings.from_options(limits, check_timeout=timeout)
        result = run_checks(submission=folder, exercises=exercises, settings=settings)
        return {c.name: c for c in result.exercises["count_parameters"].checks}
    args = [f"--limit={limit}" for limit in limits] + (
        [f"--check-timeout={timeout}"] if timeout else []
    )
    result = run_checks(submission=folder, exercises=exercises, pytest_args=args)
    return {c.name: c for c in result.exercises["count_parameters"].checks}


def test_sizes_times_and_mistakes_are_parsed():
    assert parse_value("memory", "2GiB") == 2 * 1024**3 and parse_value("output", "64 KiB") == 65536
    assert parse_value("cpu", "1.5") == 1.5 and parse_value("processes", 8) == 8
    assert with_overrides(Limits(), ["memory=1GiB", "open-files=10"]).open_files == 10
    for bad, words in (
        (["memory=lots"], "must be a size"),
        (["speed=3"], "unknown limit"),
        (["cpu=-1"], "must be positive"),
        (["memory"], "NAME=VALUE"),
    ):
        with pytest.raises(ValueError, match=words):
            with_overrides(Limits(), bad)
    with pytest.raises(CatalogError, match=r"\[limits\]: limit memory"):
        parse_limits('[limits]\nmemory = "a lot"\n')
    assert Limits().describe("memory") == "4 GiB" and Limits().describe("cpu") == "300 s"


def test_cpu_limit_is_named_and_costs_only_its_check(tmp_path):
    write(tmp_path, "count_parameters", COUNT_PARAMETERS_OK_EXCEPT.format(body="while True: pass"))
    checks = _grade(tmp_path, "cpu=1", timeout=30)
    assert "CPU time limit of 1 s was exceeded" in checks["conv2d_param_count"].message
    assert checks["linear_param_count"].passed and checks["simple_cnn_param_count"].passed


@pytest.mark.parametrize("in_memory", [False, True], ids=["pytest-options", "settings"])
def test_file_size_limit_is_named(tmp_path, in_memory):
    body = "open('big.bin', 'wb').write(b'x' * (3 * 1024 * 1024)); return 0"
    write(tmp_path, "count_parameters", COUNT_PARAMETERS_OK_EXCEPT.format(body=body))
    checks = _grade(tmp_path, "file_size=1MiB", in_memory=in_memory)
    assert "file size limit of 1 MiB" in checks["conv2d_param_count"].message
    assert checks["linear_param_count"].passed


def test_open_files_limit_holds(tmp_path):
    body = "files = [open('f%d' % i, 'w') for i in range(100)]; return 0"
    write(tmp_path, "count_parameters", COUNT_PARAMETERS_OK_EXCEPT.format(body=body))
    checks = _grade(tmp_path, "open_files=40")
    assert (
        "limit on open files of 40 was exceeded in conv2d_param_count"
        in checks["conv2d_param_count"].message
    )


def test_submission_time_budget_stops_the_rest_with_a_note(tmp_path):
    write(tmp_path, "count_parameters", COUNT_PARAMETERS_OK_EXCEPT.format(body="while True: pass"))
    checks = _grade(tmp_path, "submission_time=4", timeout=60)
    assert "time budget of 4 s" in checks["conv2d_param_count"].message
    later = [c for c in checks.values() if "time budget" in c.message]
    assert len(later) >= 2 and all(c.score == 0 for c in later)

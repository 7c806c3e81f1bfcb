"""The grader's statuses on small fake submissions: passed, failed, error, not attempted,
timeout."""

from __future__ import annotations

from grader.workbook.results import Status
from tests.helpers import grade, write

COUNT_PARAMETERS_OK_EXCEPT = """
    def count_parameters(model):
        params = list(model.parameters())
        return sum(p.numel() for p in params), sum(p.numel() for p in params if p.requires_grad)

    def conv2d_param_count(in_channels, out_channels, kernel_size, bias=True):
        {body}

    def linear_param_count(in_features, out_features, bias=True):
        return in_features * out_features + (out_features if bias else 0)

    def simple_cnn_param_count():
        return 26138
"""


def _statuses(result, exercise_id):
    return {c.name: c.status for c in result.exercises[exercise_id].checks}


def test_missing_file_is_not_attempted_and_others_are_graded(tmp_path):
    write(tmp_path, "count_parameters")
    result = grade(tmp_path, "edge_filter", "count_parameters")
    edge = result.exercises["edge_filter"]
    assert edge.status == "not attempted" and edge.score == 0
    assert all(
        c.status is Status.NOT_ATTEMPTED and "01_edge_filter.py was not found" in c.message
        for c in edge.checks
    )
    assert result.exercises["count_parameters"].score == 12


def test_syntax_error_names_file_and_line_and_spares_other_exercises(tmp_path):
    write(tmp_path, "edge_filter", "import torch\n\ndef horizontal_edge_filter(:\n    pass\n")
    write(tmp_path, "count_parameters")
    result = grade(tmp_path, "edge_filter", "count_parameters")
    checks = result.exercises["edge_filter"].checks
    assert checks and all(c.status is Status.ERROR for c in checks)
    assert "SyntaxError in 01_edge_filter.py, line 3" in checks[0].message
    assert result.exercises["count_parameters"].score == 12


def test_exception_is_an_error_with_a_traceback_trimmed_to_the_students_file(tmp_path):
    write(tmp_path, "count_parameters", COUNT_PARAMETERS_OK_EXCEPT.format(body="return {}['oops']"))
    result = grade(tmp_path, "count_parameters")  # one grading for both views of it
    statuses = _statuses(result, "count_parameters")
    assert statuses["conv2d_param_count"] is Status.ERROR
    message = next(
        c.message
        for c in result.exercises["count_parameters"].checks
        if c.name == "conv2d_param_count"
    )
    assert 'File "02_count_parameters.py", line 7, in conv2d_param_count' in message
    assert "KeyError: 'oops'" in message
    assert "grader" not in message.split("KeyError")[0]  # no frames of the grader itself
    assert statuses["linear_param_count"] is Status.PASSED


def test_hanging_function_times_out_and_only_costs_its_checks(tmp_path):
    write(tmp_path, "count_parameters", COUNT_PARAMETERS_OK_EXCEPT.format(body="while True: pass"))
    result = grade(tmp_path, "count_parameters", timeout=1.5)
    checks = {c.name: c for c in result.exercises["count_parameters"].checks}
    assert checks["conv2d_param_count"].status is Status.TIMEOUT
    assert "time limit of 1.5 s" in checks["conv2d_param_count"].message
    assert checks["linear_param_count"].status is Status.PASSED
    assert checks["simple_cnn_param_count"].status is Status.PASSED


def test_worker_that_exits_is_an_error_and_grading_goes_on(tmp_path):
    write(
        tmp_path,
        "count_parameters",
        COUNT_PARAMETERS_OK_EXCEPT.format(body="import os; os._exit(3)"),
    )
    checks = {
        c.name: c for c in grade(tmp_path, "count_parameters").exercises["count_parameters"].checks
    }
    assert checks["conv2d_param_count"].status is Status.ERROR
    assert "exited with code 3" in checks["conv2d_param_count"].message
    assert checks["simple_cnn_param_count"].status is Status.PASSED


def test_printing_fake_results_changes_nothing(tmp_path):
    source = COUNT_PARAMETERS_OK_EXCEPT.format(
        body="print('PASSED 100/100'); print('{\"ok\": true}'); return 0"
    )
    write(tmp_path, "count_parameters", source)
    checks = {
        c.name: c for c in grade(tmp_path, "count_parameters").exercises["count_parameters"].checks
    }
    assert checks["conv2d_param_count"].status is Status.FAILED
    assert "is 0, expected 40" in checks["conv2d_param_count"].message


def test_wrong_type_is_a_plain_failure(tmp_path):
    source = COUNT_PARAMETERS_OK_EXCEPT.format(
        body="""
        class AlwaysEqual(int):
            def __eq__(self, other): return True
        return AlwaysEqual(0)""".replace("\n", "\n    ")
    )
    write(tmp_path, "count_parameters", source)
    checks = {
        c.name: c for c in grade(tmp_path, "count_parameters").exercises["count_parameters"].checks
    }
    assert checks["conv2d_param_count"].status is Status.FAILED
    assert "AlwaysEqual" in checks["conv2d_param_count"].message

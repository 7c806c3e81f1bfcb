"""`pytest checks --submission DIR` works with pytest's own options, and student code never
runs in the pytest process."""

import subprocess
import sys

from grader.workbook.paths import PROJECT_ROOT, SOLUTIONS_DIR
from tests.helpers import write


def pytest_run(*args):
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args, "-p", "no:cacheprovider"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_plain_pytest_with_k_and_junitxml(tmp_path):
    result = pytest_run(
        "checks/02_count_parameters/check_02_count_parameters_formulas.py",
        f"--submission={SOLUTIONS_DIR}",
        "-k",
        "conv2d or linear",
        f"--junitxml={tmp_path / 'j.xml'}",
    )
    assert result.returncode == 0, result.stdout
    assert "2 passed, 1 deselected" in result.stdout
    assert 'tests="2"' in (tmp_path / "j.xml").read_text()


def test_failures_read_as_learner_messages_and_x_stops(tmp_path):
    write(tmp_path, "count_parameters", "def count_parameters(model):\n    return (1, 1)\n")
    result = pytest_run(
        "checks/02_count_parameters/check_02_count_parameters.py", f"--submission={tmp_path}", "-x"
    )
    assert result.returncode == 1
    assert "[failed] count_parameters(model) as (total, trainable) is wrong." in result.stdout
    assert "1 failed" in result.stdout and "passed" not in result.stdout.splitlines()[-1]


def test_student_code_runs_in_another_process(tmp_path):
    # /proc/self names the process in the host's numbering, even inside the worker's PID namespace
    write(
        tmp_path,
        "count_parameters",
        """
        import os
        def linear_param_count(in_features, out_features, bias=True):
            raise RuntimeError(f"HOST-PID={os.readlink('/proc/self')} ")
        """,
    )
    result = pytest_run(
        "checks/02_count_parameters/check_02_count_parameters_formulas.py",
        f"--submission={tmp_path}",
        "-k",
        "linear",
        "-p",
        "tests.pid_reporter",
    )
    assert result.returncode == 1, result.stdout
    pytest_pid = int(result.stdout.split("PYTEST-PID=")[1].split()[0])
    worker_pid = int(result.stdout.split("HOST-PID=")[1].split()[0])
    assert worker_pid != pytest_pid

"""Run the checks of some exercises on one submission folder, in this process, and collect results.

pytest does the running (so `pytest checks --submission DIR` and `grader check`
grade alike); a small plugin object gathers each check's graded result.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from grader.workbook.catalog import Exercise, load_catalog
from grader.workbook.paths import PROJECT_ROOT
from grader.workbook.results import CheckResult, ExerciseResult, SubmissionResult
from grader.workbook.run_settings import CheckSettings


class _Collector:
    def __init__(self) -> None:
        self.results: dict[str, list[CheckResult]] = {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        result = getattr(report, "check_result", None)
        if result is not None:
            self.results.setdefault(report.exercise_id, []).append(result)


# Plugins and tracebacks the grader does not use, and which cost time in every run: a full
# garbage collection after every session, log capture around every check, and pytest's
# traceback of each failed check, which the grader replaces by its own message anyway.
_LEAN = [
    "-p",
    "no:unraisableexception",
    "-p",
    "no:threadexception",
    "-p",
    "no:logging",
    "--tb=line",
]


def pytest_arguments(exercises: list[Exercise], submission: Path, extra: list[str]) -> list[str]:
    """pytest's command line for the checks of `exercises` on `submission`, then `extra`."""
    return (
        [str(e.folder) for e in exercises]
        + [
            f"--submission={submission}",
            f"--rootdir={PROJECT_ROOT}",
            "-c",
            str(PROJECT_ROOT / "pyproject.toml"),
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "--noconftest",
            "-q",
            "--no-header",
            "-o",
            "console_output_style=classic",
            *_LEAN,
        ]
        + list(extra)
    )


class RunnerError(RuntimeError):
    """pytest could not run the checks at all (a broken check file, a usage error)."""


def run_checks(
    *,
    submission: Path,
    exercises: list[Exercise] | None = None,
    settings: CheckSettings | None = None,
    pytest_args: list[str] | None = None,
) -> SubmissionResult:
    """Grade `submission` on `exercises` (default: all) and return the results, in catalog order.
    `settings` (limits, grading key) reach the plugin in memory, as a plugin object of their own;
    without them it reads pytest's options, as `pytest checks` does."""
    chosen = list(exercises or load_catalog())
    collector = _Collector()
    args = pytest_arguments(chosen, submission, pytest_args or [])
    output = io.StringIO()
    with redirect_stdout(output), redirect_stderr(output):
        code = pytest.main(args, plugins=[collector, *([settings] if settings else [])])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RunnerError(
            f"the checks could not run (pytest exit code {int(code)}):\n{output.getvalue()[-3000:]}"
        )
    return SubmissionResult(
        {e.id: ExerciseResult(e.id, e.points, collector.results.get(e.id, [])) for e in chosen}
    )

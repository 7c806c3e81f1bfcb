"""One pytest session for every submission a grading process grades: configured and collected
once, its items run again for each submission. A session of its own per submission cost a
grading process a fifth of its time (configuration, plugins registered, collection).

What a session of its own gave each submission, each run here gets too: its folder, its time
budget and workers (`start_submission`/`end_submission`, what pytest_configure, the collection
and pytest_unconfigure do), every module fixture set up afresh and torn down at its end (the last
item runs with no next item), and no item keeps anything of the run before (its report sections,
properties and stash). A run that fails outside the checks ends the session: the next submission
gets a new one.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from grader.checking.runner import RunnerError, _Collector, pytest_arguments
from grader.workbook.catalog import Exercise
from grader.workbook.results import ExerciseResult, SubmissionResult
from grader.workbook.run_settings import CheckSettings


class GradingSession:
    """pytest configured and the checks of `exercises` collected, for `settings`."""

    def __init__(self, exercises: list[Exercise], settings: CheckSettings) -> None:
        from _pytest.config import _prepareconfig

        from grader.commands.check_start import no_plugin_autoload, plugin_arguments

        self.exercises, self.settings = exercises, settings
        self.collector = _Collector()
        self.output = io.StringIO()  # pytest's terminal output, kept for an error's message
        # no submission yet: each run names its own folder
        args = pytest_arguments(exercises, Path(os.devnull), plugin_arguments())
        with self._quiet(), no_plugin_autoload():
            self.config = _prepareconfig(args, [self.collector, settings])
            try:
                self.config._do_configure()
                self.session = pytest.Session.from_config(self.config)
                self.config.hook.pytest_sessionstart(session=self.session)
                self.config.hook.pytest_collection(session=self.session)
            except BaseException:
                self.close()
                raise
        self.items: list[pytest.Item] = list(self.session.items)
        # loaded by its name (-p grader.pytest_plugin): its per-submission start and end
        self.plugin = self.config.pluginmanager.get_plugin("grader.pytest_plugin")
        if self.plugin is None:
            self.close()
            raise RunnerError("the grader's pytest plugin is not loaded in this session")
        if self.session.testsfailed or not self.items:
            tail = self._tail()
            self.close()
            raise RunnerError(f"the checks could not be collected:\n{tail}")

    def _quiet(self) -> contextlib.AbstractContextManager[None]:
        self.output.seek(0)
        self.output.truncate()
        return _into(self.output)

    def _tail(self) -> str:
        return self.output.getvalue()[-3000:]

    def run(self, submission: Path) -> SubmissionResult:
        """Grade `submission` with every collected check, as a session of its own would."""
        plugin = self.plugin
        self.collector.results.clear()
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.stats.clear()  # its reports of the submission before: kept for no summary
        self.config.option.submission = str(submission)
        with self._quiet():
            plugin.start_submission(self.config, self.items)
            try:
                for index, item in enumerate(self.items):
                    _fresh(item)
                    after = self.items[index + 1] if index + 1 < len(self.items) else None
                    self.config.hook.pytest_runtest_protocol(item=item, nextitem=after)
            finally:
                plugin.end_submission(self.config)
        return SubmissionResult(
            {
                e.id: ExerciseResult(e.id, e.points, self.collector.results.get(e.id, []))
                for e in self.exercises
            }
        )

    def close(self) -> None:
        """Unconfigure pytest (the spare worker closes); the session is not used again."""
        with self._quiet():
            self.config._ensure_unconfigure()


@contextmanager
def _into(buffer: io.StringIO) -> Iterator[None]:
    """stdout and stderr both into `buffer`, as `runner.run_checks` has them."""
    with redirect_stdout(buffer), redirect_stderr(buffer):
        yield


def _fresh(item: pytest.Item) -> None:
    """Nothing of an item's run before: its captured output, its properties (08's note) and what
    fixtures left in its stash (the figures of the check)."""
    item._report_sections = []
    item.user_properties = []
    item.stash = pytest.Stash()


_kept: GradingSession | None = None
_keeping = False  # a batch's grading process keeps its session; any other caller gets its own


def keep_sessions() -> None:
    """This process is a batch's grading process: it grades submission after submission."""
    global _keeping
    _keeping = True


def run_in_session(
    submission: Path, exercises: list[Exercise], settings: CheckSettings
) -> SubmissionResult:
    """Grade `submission` in this process's kept session, made (again) when the exercises or the
    settings change, or when the run before failed outside the checks. A process that has not
    called `keep_sessions` (an export grading one submission) gets a session of its own."""
    global _kept
    if not _keeping:
        from grader.checking.runner import run_checks

        return run_checks(submission=submission, exercises=exercises, settings=settings)
    if _kept is not None and (_kept.exercises, _kept.settings) != (exercises, settings):
        _kept.close()
        _kept = None
    if _kept is None:
        try:
            _kept = GradingSession(exercises, settings)
        except RunnerError:
            raise
        except Exception as exc:  # a usage error in the checks' configuration or collection
            raise RunnerError(f"the checks could not run ({exc!r})") from exc
    try:
        return _kept.run(submission)
    except BaseException as exc:
        broken, _kept = _kept, None
        tail = broken._tail()
        broken.close()
        if isinstance(exc, Exception):
            raise RunnerError(f"the checks could not run ({exc!r}):\n{tail}") from exc
        raise

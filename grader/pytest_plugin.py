"""The pytest plugin behind `checks/`: the `--submission` option, the `points` marker, the
`submission` fixture, and the translation of each check's outcome into a graded status.

Registered through the `pytest11` entry point, so `pytest checks --submission DIR`
works with pytest's own options (-k, -x, --junitxml).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

# exercise_of, and the fixtures the checks take their references, oracles, inputs and expected
# values from (registered here by being imported)
from grader.checking import drawn_once
from grader.checking.fixtures import exercise_of, expected, inputs, oracle, reference  # noqa: F401
from grader.reports.escape import terminal
from grader.supervisor.pool import WorkerPool, shared_pool
from grader.workbook.catalog import Exercise, load_catalog
from grader.workbook.grading_key import Seeds, seed_for, seed_scope
from grader.workbook.paths import (
    CHECKS_DIR,
    EXERCISES_DIR,
    HANDOUT_REFUSAL,
    is_handout,
)
from grader.workbook.run_settings import CheckSettings

# grader.checking.submission and grader.workbook.results are imported where used: they pull in
# torch, and the
# worker should start importing its own torch before this process spends time on that.

_pool_key = pytest.StashKey[WorkerPool]()
_deadline_key = pytest.StashKey[float]()
_grading_key = pytest.StashKey["bytes | None"]()
_settings_key = pytest.StashKey[CheckSettings]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cnn-workbook")
    group.addoption(
        "--submission",
        action="store",
        default=None,
        metavar="DIR",
        help="folder holding the NN_<id>.py files to grade (default: exercises/)",
    )
    group.addoption(
        "--check-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time limit for each call into student code (default: per exercise, "
        "from workbook.toml)",
    )
    group.addoption(
        "--limit",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override one of the worker's limits from workbook.toml, e.g. memory=2GiB, "
        "cpu=60, processes=16, submission_time=300 (repeatable)",
    )
    group.addoption(
        "--grading-key-file",
        default=None,
        metavar="FILE",
        help="a graded run: every seeded input is drawn from the secret key in FILE, and checks "
        "show no inputs or expected values (default: the public seeds of `grader check`)",
    )
    group.addoption(
        "--expected-record",
        default=None,
        metavar="DIR",
        help="record every expected value the checks compute into DIR/<id>.pt, adding to what "
        "is there (grader export student)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): what the check is worth when it passes")
    config.addinivalue_line(
        "markers",
        "public: the check's inputs and expected values are fixed by the spec, so a graded run "
        "may show them (every other check is hidden in a graded run)",
    )
    settings = _settings(config)
    config.stash[_settings_key] = settings
    config.stash[_grading_key] = _read_key(settings.key_file)
    if is_handout() and graded(config):
        raise pytest.UsageError(HANDOUT_REFUSAL)
    if graded(config) and config.getoption("expected_record"):  # a handout gets public values
        raise pytest.UsageError("--expected-record records public runs only: no grading key")
    pool = shared_pool()
    pool.set_limits(settings.limits)
    config.stash[_pool_key] = pool
    _start_budget(config)


def _start_budget(config: pytest.Config) -> None:
    """A submission's time budget starts now, and the worker of its first exercise with it."""
    config.stash[_deadline_key] = (
        time.monotonic() + config.stash[_settings_key].limits.submission_time
    )
    first = _first_exercise(config)
    if first is not None:
        # imports torch while pytest collects: the two overlap on two cores
        config.stash[_pool_key].prestart(drawn_once.warm_up(first, _key(config)))


def start_submission(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In a session kept for many submissions (grader/commands/grading_session.py): what
    pytest_configure and the collection do for each submission of a session of its own."""
    _start_budget(config)
    _expect_workers(config, items)


def end_submission(config: pytest.Config) -> None:
    """The spare worker closed, as pytest_unconfigure does at the end of a session."""
    config.stash[_pool_key].close()


def _settings(config: pytest.Config) -> CheckSettings:
    """The run's settings: handed in memory by `grader.checking.runner` (limits parsed once, where
    the command line was read), else made from pytest's own options (`pytest checks`)."""
    plugins = config.pluginmanager.get_plugins()
    given = next((p for p in plugins if isinstance(p, CheckSettings)), None)
    if given is not None:
        return given
    key_file = config.getoption("grading_key_file")
    try:
        return CheckSettings.from_options(
            config.getoption("limit") or [],
            Path(key_file) if key_file is not None else None,
            config.getoption("check_timeout"),
        )
    except ValueError as exc:
        raise pytest.UsageError(f"--limit: {exc}") from None


def _read_key(path: Path | None) -> bytes | None:
    if path is None:
        return None
    from grader.workbook.grading_key import GradingKeyError, read_key

    try:
        return read_key(path)
    except GradingKeyError as exc:
        raise pytest.UsageError(f"--grading-key-file: {exc}") from None


def graded(config: pytest.Config) -> bool:
    """A graded run: secret inputs, hidden checks."""
    return config.stash.get(_grading_key, None) is not None


def _key(config: pytest.Config) -> bytes | None:
    return config.stash.get(_grading_key, None)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    from grader.supervisor.environment import sandbox_notes

    for note in sandbox_notes():
        terminalreporter.write_line(f"grader: this host's sandbox is weaker: {note}", yellow=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _pool_key in config.stash:
        config.stash[_pool_key].close()


def _first_exercise(config: pytest.Config) -> Exercise | None:
    """The first exercise this run will check, if it runs checks at all."""
    for arg in config.args:
        path = Path(str(arg).split("::")[0]).resolve()
        if path == CHECKS_DIR:
            return load_catalog()[0]
        if CHECKS_DIR in path.parents:
            return exercise_of(path)  # a check file, or an exercise's folder
    return None


def submission_dir(config: pytest.Config) -> Path:
    option = config.getoption("submission")
    return Path(option) if option else EXERCISES_DIR


def _expect_workers(config: pytest.Config, items: list[pytest.Item]) -> None:
    # One worker per check module (the `submission` fixture's scope), not per exercise: an
    # exercise of two modules would otherwise throw away the spares of the exercises after it.
    modules = list(dict.fromkeys(item.path for item in items))
    exercises = [e for m in modules if (e := exercise_of(m))]
    key = _key(config)
    config.stash[_pool_key].expect([drawn_once.warm_up(e, key) for e in exercises])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _expect_workers(config, items)
    for item in items:
        exercise = exercise_of(item.path)
        if exercise is None:
            continue
        if item.get_closest_marker("points") is None:
            raise pytest.UsageError(f"{item.nodeid} has no @pytest.mark.points(n)")
        # a backstop only: each call into the worker has its own, much shorter limit
        item.add_marker(pytest.mark.timeout(exercise.time_limit * 10 + 60))


@pytest.fixture(scope="module")
def submission(request: pytest.FixtureRequest):
    """The submission's module for this check file's exercise; every call runs in the worker."""
    exercise = exercise_of(Path(str(request.module.__file__)))
    if exercise is None:
        raise pytest.UsageError("the submission fixture is only for checks/NN_<id>/check_*.py")
    from grader.checking.submission import Submission

    handle = Submission(
        exercise,
        submission_dir(request.config),
        request.config.stash[_pool_key],
        time_limit=request.config.stash[_settings_key].check_timeout,
        deadline=request.config.stash[_deadline_key],
        warm_up=drawn_once.warm_up(exercise, _key(request.config)),
    )
    yield handle
    handle.close()


@pytest.fixture(scope="module")
def driver(request: pytest.FixtureRequest):
    """The exercise's driver module, loaded here too, for the inputs it builds in the worker."""
    exercise = exercise_of(Path(str(request.module.__file__)))
    from grader.checking.submission import load_driver  # late: it imports torch

    return load_driver(exercise.id)


@pytest.fixture(scope="module")
def seeds(request: pytest.FixtureRequest) -> Seeds:
    """Named seeds for the check file's inputs (see `Seeds`)."""
    exercise = exercise_of(Path(str(request.module.__file__)))
    return Seeds(_key(request.config), seed_scope(exercise))


@pytest.fixture
def figures(request: pytest.FixtureRequest):
    """What this check draws for `grader check --html` (see grader/checking/figures.py): kept with
    its result, except in a graded run's hidden checks, whose values stay hidden."""
    from grader.checking.figures import FIGURES, Figures  # late: it imports torch

    hidden = graded(request.config) and request.node.get_closest_marker("public") is None
    book = Figures(kept=not hidden)  # a hidden check's figures are dropped: not drawn either
    request.node.stash[FIGURES] = book
    return book


@pytest.fixture(autouse=True)
def _seeded(request: pytest.FixtureRequest) -> None:
    """Each check gets the same random inputs every run, whatever ran before it (and, in a graded
    run, inputs drawn from the grading key)."""
    import numpy as np
    import torch

    exercise = exercise_of(request.node.path)
    label = request.node.nodeid
    if exercise is not None:  # the check's own name, whichever file of the folder holds it
        label = f"checks/{seed_scope(exercise)}::{label.split('::', 1)[1]}"
    seed = seed_for(_key(request.config), label)
    torch.default_generator.manual_seed(
        seed
    )  # torch.manual_seed also queues CUDA seeding, with a stack trace each time
    np.random.seed(seed % 2**32)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    exercise = exercise_of(item.path)
    if exercise is None or item.get_closest_marker("points") is None:
        return
    if call.when == "call" or (call.when == "setup" and not report.passed):
        from grader.checking.verdict import check_result  # late: it imports torch

        hidden = graded(item.config) and item.get_closest_marker("public") is None
        result = check_result(item, report, call, hidden)
        report.check_result = result
        report.exercise_id = exercise.id
        report.user_properties.append(("status", result.status.value))
        report.user_properties.append(("score", result.score))
        internal_error = result.message.startswith("internal error in the check")
        if not report.passed and not internal_error:
            report.longrepr = f"[{result.status.label}] {terminal(result.message)}"

"""The checks' fixtures for what correct answers are, in the pytest process only (never in the
worker): the reference solution, the oracle, the inputs module and the expected values (computed,
recorded or replayed: grader/checking/expected.py). Registered by grader/pytest_plugin.py, which
imports them. Torch is imported inside the fixtures: the plugin loads before a worker starts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from grader.workbook.catalog import Exercise
from grader.workbook.exercise_folder import INPUTS, ORACLE, exercise_in, part
from grader.workbook.files import load_grader_file
from grader.workbook.paths import EXPECTED_DIR, SOLUTIONS_DIR, is_handout


def exercise_of(path: Path) -> Exercise | None:
    """The exercise a check file (or a folder under checks/) belongs to: its folder
    `checks/NN_<id>/`, as workbook.toml lists it. None for a file outside checks/."""
    return _exercise_of(str(path))


@cache  # asked thousands of times a session (every hook of every check), and resolve() stats
def _exercise_of(name: str) -> Exercise | None:  # the catalog is cached per process too
    path = Path(name)
    if path.is_file() and not path.match("check_*.py"):
        return None
    try:
        return exercise_in(path)
    except KeyError as exc:
        raise pytest.UsageError(f"{path}: {exc.args[0]}") from None


@pytest.fixture(scope="module")
def reference(request: pytest.FixtureRequest):
    """The reference solution, loaded in the pytest process: the oracle for the checks (None in a
    handout, where only `expected`'s recorded values stand for it)."""
    exercise = exercise_of(Path(str(request.module.__file__)))
    if is_handout():
        return None
    return load_grader_file(f"reference_{exercise.id}", SOLUTIONS_DIR / exercise.filename)


@pytest.fixture(scope="module")
def oracle(request: pytest.FixtureRequest):
    """The exercise's oracle module (`checks/NN_<id>/oracle.py`): what correct code (and each
    classic mistake) gives. Never loaded in the worker; None in a handout."""
    exercise = exercise_of(Path(str(request.module.__file__)))
    path = part(exercise, ORACLE)
    if is_handout() or path is None:
        return None
    return load_grader_file(f"oracle_{exercise.id}", path)


@pytest.fixture(scope="module")
def inputs(request: pytest.FixtureRequest):
    """The exercise's inputs module (`checks/NN_<id>/inputs.py`): the inputs the checks send,
    their constants and independent measures; no answer of a reference. Never in the worker."""
    exercise = exercise_of(Path(str(request.module.__file__)))
    path = part(exercise, INPUTS)
    if path is None:
        raise pytest.UsageError(
            f"{exercise.id}: the check asks for inputs, but {exercise.folder} has no {INPUTS}"
        )
    return load_grader_file(f"inputs_{exercise.id}", path)


@pytest.fixture(scope="module")
def expected(request: pytest.FixtureRequest):
    """What the reference and the oracle give, computed, recorded or replayed (see
    grader/checking/expected.py)."""
    from grader.checking.expected import COMPUTE, RECORD, REPLAY, Expected

    exercise = exercise_of(Path(str(request.module.__file__)))
    record = request.config.getoption("expected_record")
    if record:
        values = Expected(RECORD, Path(record) / f"{exercise.id}.pt")
    elif is_handout():
        values = Expected(REPLAY, EXPECTED_DIR / f"{exercise.id}.pt")
    else:  # a batch's grading process computes what is the same for every student once
        mark = request.getfixturevalue("seeds").get("expected values", 0)  # of the grading key
        values = Expected(COMPUTE, scope=(str(request.module.__file__), mark))
    yield values
    values.save()

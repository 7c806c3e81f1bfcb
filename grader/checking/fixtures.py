"""The checks' fixtures for what correct answers are, in the pytest process only (never in the
worker): the reference solution, the oracle, the inputs module and the expected values (computed,
recorded or replayed: grader/checking/expected.py). Registered by grader/pytest_plugin.py, which
imports them. Torch is imported inside the fixtures: the plugin loads before a worker starts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.workbook.catalog import Exercise, exercise_by_id
from grader.workbook.files import load_file
from grader.workbook.paths import (
    CHECKS_DIR,
    EXPECTED_DIR,
    INPUTS_DIR,
    ORACLES_DIR,
    SOLUTIONS_DIR,
    is_handout,
)

_CHECK_FILE = re.compile(r"^check_(\d\d)_([a-z0-9_]+)\.py$")


def exercise_of(path: Path) -> Exercise | None:
    """The exercise a check file belongs to, from its name `check_NN_<id>.py`."""
    match = _CHECK_FILE.match(path.name)
    if not match or path.parent.resolve() != CHECKS_DIR:
        return None
    exercise = exercise_by_id(match.group(2))
    if exercise.number != int(match.group(1)):
        raise pytest.UsageError(f"{path.name}: exercise {exercise.id} is number {exercise.number}")
    return exercise


@pytest.fixture(scope="module")
def reference(request: pytest.FixtureRequest):
    """The reference solution, loaded in the pytest process: the oracle for the checks (None in a
    handout, where only `expected`'s recorded values stand for it)."""
    exercise = exercise_of(Path(str(request.module.__file__)))
    if is_handout():
        return None
    return load_file(f"reference_{exercise.id}", SOLUTIONS_DIR / exercise.filename)


@pytest.fixture(scope="module")
def oracle(request: pytest.FixtureRequest):
    """The exercise's oracle module (`checks/oracles/<id>.py`): what correct code (and each
    classic mistake) gives. Never loaded in the worker; None in a handout."""
    exercise = exercise_of(Path(str(request.module.__file__)))
    path = ORACLES_DIR / f"{exercise.id}.py"
    return None if is_handout() else load_file(f"oracle_{exercise.id}", path)


@pytest.fixture(scope="module")
def inputs(request: pytest.FixtureRequest):
    """The exercise's inputs module (`checks/inputs/<id>.py`): the inputs the checks send, their
    constants and independent measures; no answer of a reference. Never loaded in the worker."""
    exercise = exercise_of(Path(str(request.module.__file__)))
    return load_file(f"inputs_{exercise.id}", INPUTS_DIR / f"{exercise.id}.py")


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
    else:
        values = Expected(COMPUTE)
    yield values
    values.save()

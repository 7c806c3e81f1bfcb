"""Copies made to evade the similarity pass (tests/evasions.py, generated from every reference)
are listed with their pair; genuinely independent solutions (tests/review_data/independent_*)
are not (issue 21: padding with `_ = 0` and reordering took a copy from 1.00 to 0.17-0.49)."""

from __future__ import annotations

import itertools
import re

import pytest

from grader.review.build import DEFAULT_THRESHOLD
from grader.review.normalise import defined_names, normalised
from grader.review.similarity import similar_pairs
from grader.workbook.catalog import load_catalog
from grader.workbook.paths import SOLUTIONS_DIR
from tests.evasions import EVASIONS, evade
from tests.helpers import stub_text
from tests.review_class import INDEPENDENT

EXERCISES = list(load_catalog())
STARTERS = {e.id: stub_text(e.filename) for e in EXERCISES}
NAMES = {e.id: e.filename for e in EXERCISES}


def _pairs(exercise: str, texts: dict[str, str]) -> dict[tuple[str, str], float]:
    found = similar_pairs(
        {s: {exercise: t} for s, t in texts.items()}, STARTERS, NAMES, DEFAULT_THRESHOLD
    )
    return {(p.a, p.b): p.score for p in found.pairs}


@pytest.mark.parametrize("how", sorted(EVASIONS))
@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_an_evaded_copy_is_listed_with_its_pair(exercise, how):
    reference = (SOLUTIONS_DIR / exercise.filename).read_text()
    copy = evade(reference, how, defined_names(STARTERS[exercise.id]))
    assert copy != reference
    pairs = _pairs(exercise.id, {"original": reference, "zcopy": copy})
    assert ("original", "zcopy") in pairs, f"{how} of {exercise.filename} not listed"


def _independent() -> dict[str, dict[str, str]]:
    """exercise id -> author -> text: the references and tests/review_data/independent_*."""
    found: dict[str, dict[str, str]] = {}
    for exercise in EXERCISES:
        authors = {"reference": (SOLUTIONS_DIR / exercise.filename).read_text()}
        for folder in sorted(INDEPENDENT.glob("independent_*")):
            if (folder / exercise.filename).is_file():
                authors[folder.name] = (folder / exercise.filename).read_text()
        if len(authors) > 1:
            found[exercise.id] = authors
    return found


def test_independent_solutions_are_not_listed():
    texts = _independent()
    assert sum(len(list(itertools.combinations(a, 2))) for a in texts.values()) >= 20
    for exercise, authors in texts.items():
        assert _pairs(exercise, authors) == {}, exercise


def test_padding_comes_out_of_the_normalised_tree():
    padded = (
        "import os\n"
        "def f(x):\n"
        "    '''doc'''\n"
        "    _ = 0\n"
        "    pass\n"
        "    42\n"
        "    out = []\n"
        "    for v in x:\n"
        "        if v:\n"
        "            out.append(v * 2)\n"
        "    total = 0\n"
        "    for v in x:\n"
        "        total += v\n"
        "    return out, total\n"
        "    print('never')\n"
        "def unused():\n"
        "    return 3\n"
        "if False:\n"
        "    f(1)\n"
    )
    plain = (
        "def f(y):\n"
        "    res = [w * 2 for w in y if w]\n"
        "    s = sum(w for w in y)\n"
        "    return res, s\n"
    )
    keep = frozenset({"f"})
    rename = {"y": "x", "res": "out", "w": "v", "s": "total"}
    for old, new in rename.items():
        plain = re.sub(rf"\b{old}\b", new, plain)
    assert normalised(padded, keep) == normalised(plain, keep)
    assert "unused" not in normalised(padded, keep) and "os" not in normalised(padded, keep)
    assert "unused" in normalised(padded)  # without the API, every definition stays


def test_a_file_that_does_not_parse_is_compared_as_written():
    broken = "def f(:\n    return 1\n"
    assert normalised(broken, frozenset({"f"})) == broken


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", ["count_parameters", "evaluate"])
def test_an_evasion_of_everything_still_earns_full_points(tmp_path, exercise_id):
    """The evasions are copies a student could hand in: correct code (all nine, on all eight
    exercises, scored 145/145 in `grader check`; two are kept here)."""
    from grader.checking.runner import run_checks
    from grader.workbook.catalog import exercise_by_id

    exercise = exercise_by_id(exercise_id)
    reference = (SOLUTIONS_DIR / exercise.filename).read_text()
    api = defined_names(STARTERS[exercise.id])
    (tmp_path / exercise.filename).write_text(evade(reference, "everything", api))
    result = run_checks(submission=tmp_path, exercises=[exercise]).exercises[exercise.id]
    assert result.score == result.max_score

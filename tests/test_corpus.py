"""Every wrong submission loses points and is told its mistake; every correct variant earns full
points; and the corpus as a whole meets issue 14's Done-when (tests/corpus_figures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.checking.runner import run_checks
from grader.reports.terminal import format_check
from grader.workbook.catalog import exercise_by_id, load_catalog
from grader.workbook.paths import SOLUTIONS_DIR
from tests import corpus_figures
from tests.corpus import CORRECT, WRONG, Variant
from tests.message_limits import record_dumps

MAX_LINES = 22  # under a failed check in the terminal: two stacked 8x8 grids fit
# what each entry's test saw, for the figures at the end (which grade any entry not seen)
OUTCOMES: dict[tuple[str, str], corpus_figures.Outcome] = {}


def _write_variant(variant: Variant, folder: Path) -> Path:
    exercise = exercise_by_id(variant.exercise)
    source = (SOLUTIONS_DIR / exercise.filename).read_text()
    for old, new in variant.edits:
        assert old in source, f"{variant.name}: the reference no longer contains {old!r}"
        source = source.replace(old, new)
    (folder / exercise.filename).write_text(source)
    return folder


def _grade(variant: Variant, tmp_path: Path):
    exercise = exercise_by_id(variant.exercise)
    result = run_checks(submission=_write_variant(variant, tmp_path), exercises=[exercise])
    graded = result.exercises[exercise.id]
    OUTCOMES[(variant.exercise, variant.name)] = corpus_figures.outcome(
        variant, variant in WRONG, exercise.points, graded
    )
    return exercise, graded


def test_corpus_size_and_spread():
    assert len(WRONG) >= 80 and len(CORRECT) >= 25
    assert {v.exercise for v in WRONG} == {v.exercise for v in CORRECT} | {
        v.exercise for v in WRONG
    }
    assert {v.exercise for v in WRONG} == {e.id for e in load_catalog()}  # each has its corpus
    assert len({(v.exercise, v.name) for v in WRONG + CORRECT}) == len(WRONG + CORRECT)
    assert all(v.words and v.check for v in WRONG), "a mistake without words cannot be named"


@pytest.mark.parametrize("variant", WRONG, ids=lambda v: f"{v.exercise}-{v.name}")
def test_wrong_submission_loses_points_and_is_named(variant, tmp_path):
    exercise, result = _grade(variant, tmp_path)
    assert result.score < exercise.points, f"{variant.name} earned full points"
    failing = [c for c in result.checks if not c.passed]
    target = [c for c in failing if c.name.startswith(variant.check)]
    assert target, f"expected {variant.check} to fail; failing: {[c.name for c in failing]}"
    messages = "\n".join(c.message for c in target)
    for word in variant.words:
        assert word in messages, f"{variant.name}: {word!r} not in the feedback:\n{messages}"
    everything = "\n".join(c.message for c in failing)
    for word in variant.absent:  # a wrong diagnosis is worse than none
        assert word not in everything, f"{variant.name}: {word!r} in the feedback:\n{everything}"
    for check in failing:  # read in ten seconds: a failed check's block stays short
        block = format_check(check, color=False)
        whole = len(block) <= 1 + MAX_LINES and "more lines: `grader check" not in block[-1]
        assert whole, f"{variant.name}: cut at {MAX_LINES} lines:\n" + "\n".join(block)
        dumps = record_dumps(check.message)  # and never two whole records side by side
        assert len(dumps) < 2, f"{variant.name}: {check.name} dumps {dumps}:\n{check.message}"


@pytest.mark.parametrize("variant", CORRECT, ids=lambda v: f"{v.exercise}-{v.name}")
def test_correct_variant_earns_full_points(variant, tmp_path):
    exercise, result = _grade(variant, tmp_path)
    failing = {c.name: c.message for c in result.checks if not c.passed}
    assert result.score == exercise.points, failing


def test_done_when_figures(tmp_path_factory):
    """Runs after the entries (pytest keeps a file's order) and reuses what they saw; alone (or
    after a selection), it grades the entries not seen yet."""
    for variant in WRONG + CORRECT:
        if (variant.exercise, variant.name) not in OUTCOMES:
            _grade(variant, tmp_path_factory.mktemp(variant.name))
    numbers = corpus_figures.figures([OUTCOMES[(v.exercise, v.name)] for v in WRONG + CORRECT])
    print(corpus_figures.summary(numbers))  # shown with -s: the figures for a closing note
    assert numbers["mistakes"] == len(WRONG) and numbers["correct"] == len(CORRECT)
    assert not corpus_figures.unmet(numbers), (
        corpus_figures.unmet(numbers),
        corpus_figures.summary(numbers),
    )

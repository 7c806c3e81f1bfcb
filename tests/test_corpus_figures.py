"""The Done-when figures are computed from graded results: each rule can fail."""

from __future__ import annotations

from grader.workbook.results import CheckResult, ExerciseResult, Status
from tests import corpus_figures
from tests.corpus import Variant


def _variant(name="v", words=("flipped",), absent=("swapped",)):
    return Variant("edge_filter", name, (("a", "b"),), words, "convolve2d", absent)


def _result(message: str, mistake: str = "", score: float = 0.0) -> ExerciseResult:
    check = CheckResult("convolve2d_matches", Status.FAILED, score, 4.0, message, mistake)
    return ExerciseResult("edge_filter", 4.0, [check])


def test_named_by_the_mistake_a_translation_or_the_headline():
    named = corpus_figures.outcome(_variant(), True, 4.0, _result("x\nLikely: flipped", "flipped"))
    assert named.named_by == "mistake" and not named.full_points and not named.wrong_words
    translated = corpus_figures.outcome(_variant(), True, 4.0, _result("What this means: flipped"))
    assert translated.named_by == "translation"
    assert corpus_figures.outcome(_variant(), True, 4.0, _result("flipped")).named_by == "headline"
    assert corpus_figures.outcome(_variant(), True, 4.0, _result("other")).named_by == ""
    wrong = corpus_figures.outcome(_variant(), True, 4.0, _result("flipped; swapped", "flipped"))
    assert wrong.wrong_words == ("swapped",)


def test_figures_and_what_they_miss():
    named = corpus_figures.outcome(_variant("a"), True, 4.0, _result("flipped", "flipped"))
    unnamed = corpus_figures.outcome(_variant("b"), True, 4.0, _result("other"))
    correct = corpus_figures.outcome(_variant("c"), False, 4.0, ExerciseResult("edge_filter", 4.0))
    numbers = corpus_figures.figures([named, unnamed, correct])
    assert numbers["mistakes"] == 2 and numbers["named"] == 1 and numbers["named_share"] == 0.5
    assert numbers["correct"] == 1 and numbers["correct_full"] == 0  # no checks: score 0 of 4
    assert numbers["unnamed"] == ["b"] and numbers["lose_points"] == 2
    problems = corpus_figures.unmet(numbers)
    assert any("80 mistakes" in p for p in problems)
    assert any("named below 95 %" in p for p in problems)
    assert any("25 correct" in p for p in problems)
    assert "2 mistakes over 1 exercises" in corpus_figures.summary(numbers)
    misnamed = corpus_figures.outcome(_variant("d"), True, 4.0, _result("flipped, swapped", "x"))
    assert any(
        "wrong diagnoses: ['d']" in p
        for p in corpus_figures.unmet(corpus_figures.figures([misnamed]))
    )

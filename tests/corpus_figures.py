"""The Done-when figures of the corpus (issue 14): how many mistakes, the share named, wrong
diagnoses, and the correct variants at full points; computed from the graded results of
tests/test_corpus.py.

A mistake is *named* when its entry gives words and every one of them is in the message of a
failed check of the entry's `check:`, and that message names a cause: the check's `mistake`
field (a "Likely mistake" the check reproduced from values), a translated error ("What this
means:", from the error's own text), or a headline of the check's own that says what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.workbook.catalog import load_catalog
from grader.workbook.results import ExerciseResult
from tests.corpus import Variant

DONE_WHEN = {"mistakes": 80, "named_share": 0.95, "correct": 25}


@dataclass(frozen=True)
class Outcome:
    variant: Variant
    wrong: bool  # a mistake of the corpus (else a correct variant)
    full_points: bool
    named_by: str  # "mistake", "translation", "headline", or "" when not named
    wrong_words: tuple[str, ...]  # `not:` words found in a failed check's message


def outcome(variant: Variant, wrong: bool, points: float, result: ExerciseResult) -> Outcome:
    failing = [c for c in result.checks if not c.passed]
    target = [c for c in failing if c.name.startswith(variant.check)] if wrong else []
    text = "\n".join(c.message for c in target)
    named_by = ""
    if target and variant.words and all(w in text for w in variant.words):
        if any(c.mistake for c in target):
            named_by = "mistake"
        elif "What this means:" in text:
            named_by = "translation"
        else:
            named_by = "headline"
    everything = "\n".join(c.message for c in failing)
    found = tuple(w for w in variant.absent if w in everything)
    return Outcome(variant, wrong, result.score == points, named_by, found)


def figures(outcomes: list[Outcome]) -> dict:
    mistakes = [o for o in outcomes if o.wrong]
    correct = [o for o in outcomes if not o.wrong]
    named = [o for o in mistakes if o.named_by]
    return {
        "mistakes": len(mistakes),
        "exercises": len({o.variant.exercise for o in mistakes}),
        "lose_points": sum(not o.full_points for o in mistakes),
        "named": len(named),
        "named_share": len(named) / len(mistakes) if mistakes else 0.0,
        "named_by": {
            kind: sum(o.named_by == kind for o in named)
            for kind in ("mistake", "translation", "headline")
        },
        "wrong_diagnoses": [o.variant.name for o in mistakes if o.wrong_words],
        "correct": len(correct),
        "correct_full": sum(o.full_points for o in correct),
        "unnamed": [o.variant.name for o in mistakes if not o.named_by],
    }


def summary(numbers: dict) -> str:
    by = numbers["named_by"]
    return (
        f"corpus: {numbers['mistakes']} mistakes over {numbers['exercises']} exercises, "
        f"{numbers['lose_points']} lose points, {numbers['named']} named "
        f"({100 * numbers['named_share']:.1f} %: {by['mistake']} by a reproduced mistake, "
        f"{by['translation']} by a translated error, {by['headline']} by the check's headline), "
        f"{len(numbers['wrong_diagnoses'])} with a wrong diagnosis; {numbers['correct']} correct "
        f"variants, {numbers['correct_full']} at full points"
    )


def unmet(numbers: dict) -> list[str]:
    """What of the Done-when the figures miss ([] when they meet it)."""
    problems = []
    if numbers["mistakes"] < DONE_WHEN["mistakes"] or numbers["exercises"] < len(load_catalog()):
        problems.append("fewer than 80 mistakes, or an exercise without any")
    if numbers["lose_points"] < numbers["mistakes"]:
        problems.append("a mistake earns full points")
    if numbers["named_share"] < DONE_WHEN["named_share"]:
        problems.append(f"named below 95 %: {numbers['unnamed']}")
    if numbers["wrong_diagnoses"]:
        problems.append(f"wrong diagnoses: {numbers['wrong_diagnoses']}")
    if numbers["correct"] < DONE_WHEN["correct"] or numbers["correct_full"] < numbers["correct"]:
        problems.append("fewer than 25 correct variants, or one below full points")
    return problems

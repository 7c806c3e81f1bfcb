"""The anatomy of one wrong number (grader/checking/anatomy_numbers.py): each pattern is said on
the number it makes, and nothing is said on numbers that only resemble one, on numbers two
patterns explain alike, or on random ones."""

import math
import random

from grader.checking.anatomy_numbers import finding

FACTS = {"the number of samples": 13, "the number of batches": 3, "the batch size": 5}


def said(actual, expected, facts=FACTS) -> str:
    found = finding(actual, expected, facts)
    return found.text if found else ""


def test_each_pattern_is_said_on_its_own_number():
    assert "rounded down to a whole number (63)" in said(63, 63.64)
    assert "rounded to the nearest whole number (64)" in said(64.0, 63.64)
    assert "cut to a whole number (61)" in said(61, 61.34)  # floor and round agree
    assert "rounded to 2 decimal(s)" in said(61.54, 61.538461)
    assert "divided by the number of batches (3)" in said(61.538461 / 3, 61.538461)
    assert "times the batch size (5)" in said(0.4 * 5, 0.4)
    assert "sign flipped" in said(-0.731, 0.731)
    assert finding(63, 63.64).carries_value  # a hidden check leaves the numbers out


def test_silent_on_numbers_that_only_resemble_a_pattern():
    assert said(63.0001, 63.64) == ""  # not a whole number
    assert said(61.538461 / 3 + 1e-3, 61.538461) == ""  # near a third, not a third
    assert said(62, 63.64) == ""  # a whole number, but neither floor nor round
    assert said(63.64, 63.64) == ""  # right
    assert said(5.0, 4.0) == ""  # a whole expected number has no fraction to lose


def test_silent_when_two_patterns_explain_the_number_alike():
    # the batch size and the number of batches are both 4: which one divided is not proven
    assert said(2.5, 10.0, {"the batch size": 4, "the number of batches": 4}) == ""
    # 0.6 * 5 = 3, which is also 0.6 ... no: a whole 3 is not 0.6 cut, so the factor alone fits
    assert "times the batch size" in said(3.0, 0.6)
    # 1.25 * 5 = 6.25 rounded to 1 decimal is 6.2 (round half to even): only "times 5" fits 6.25
    assert "times the batch size" in said(6.25, 1.25)
    # 12.6 / 3 = 4.2, and 4.2 is not 12.6 rounded: one fit; but with a fact of 3 twice, none
    assert said(4.2, 12.6, {"the number of batches": 3, "the batch size": 3}) == ""
    assert said(0.0, 0.4) == ""  # zero has too many causes to be called a rounding
    # (set 6) 100 * 1 / 13 is the expected 100 * 5 / 13 divided by the batch size, and one right
    # answer counted where five were (the last batch alone): another count, so no factor is said
    assert said(100 * 1 / 13, 100 * 5 / 13) == ""
    assert said(1 / 13, 5 / 13) == ""  # the same as a fraction


def test_hostile_values_are_silent():
    for actual in [None, "63", math.nan, math.inf, [63], True]:
        assert said(actual, 63.64) == ""
    assert said(1.0, math.nan) == "" and said(1.0, 0) == ""
    assert said(1.0, 2.0, {"odd": math.nan, "zero": 0, "text": "5"}) == ""


def test_random_wrong_numbers_never_match():
    rng = random.Random(5)
    for trial in range(500):
        expected = rng.uniform(-100, 100)
        actual = expected + rng.uniform(-3, 3) * rng.choice([1e-3, 1e-1, 1])
        assert said(actual, expected) == "", (trial, actual, expected)

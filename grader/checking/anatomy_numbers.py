"""The anatomy of one wrong number: what it is made of, said only when exactly one pattern fits
the values (the expected number cut to a whole number or to a few decimals, its sign flipped,
or it times or divided by one of the check's known facts, such as the batch size or the number
of batches). The words say what the numbers show; a cause is said only as "as X gives"."""

from __future__ import annotations

import math
from collections.abc import Mapping

from grader.checking.anatomy_tools import Finding

_CLOSE = 1e-9


def _near(a: float, b: float, rel: float = 1e-6) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=_CLOSE)


def _whole(actual: float, expected: float) -> list[str]:
    if not float(actual).is_integer() or float(expected).is_integer() or actual == 0:
        return []  # 0 has too many causes (nothing counted...) to be said a rounding
    down, nearest = math.floor(expected), round(expected)
    if actual == down == nearest:
        return [f"the expected {expected:.6g} cut to a whole number ({actual:g})"]
    if actual == down:
        return [
            f"the expected {expected:.6g} rounded down to a whole number ({actual:g}), as "
            "math.floor, int() or // give"
        ]
    if actual == nearest:
        return [f"the expected {expected:.6g} rounded to the nearest whole number ({actual:g})"]
    return []


def _decimals(actual: float, expected: float) -> list[str]:
    for places in range(1, 5):
        cut = round(expected, places)
        if not _near(cut, expected, 1e-12) and _near(actual, cut, 1e-12):
            return [f"the expected {expected:.6g} rounded to {places} decimal(s) ({actual:g})"]
    return []


def _factors(actual: float, expected: float, facts: Mapping[str, float]) -> list[str]:
    found = []
    for name, value in facts.items():
        if type(value) not in (int, float) or not math.isfinite(value) or abs(value) in (0, 1):
            continue
        if _near(actual, expected * value):
            found.append(f"the expected {expected:.6g} times {name} ({value:g})")
        if _near(actual, expected / value):
            found.append(f"the expected {expected:.6g} divided by {name} ({value:g})")
    return found


def _another_count(actual: float, facts: Mapping[str, float]) -> bool:
    """Whether `actual` is also a whole count of the check's samples (as a fraction or a
    percent): 100 * 1 / 13 is the expected 100 * 5 / 13 divided by a batch size of 5, and
    also one right answer counted where five were; one number cannot tell which."""
    samples = facts.get("the number of samples")
    if type(samples) is not int or samples < 1:
        return False
    for scale in (1.0, 100.0):
        count = actual * samples / scale
        if 0 <= count <= samples and _near(count, round(count), 1e-9):
            return True
    return False


def finding(
    actual: object, expected: float, facts: Mapping[str, float] | None = None
) -> Finding | None:
    """One proven sentence about `actual`, or None when no pattern or more than one fits."""
    if type(actual) not in (int, float) or type(expected) not in (int, float):
        return None
    if not (math.isfinite(actual) and math.isfinite(expected)) or expected == 0:
        return None
    if _near(actual, expected, 1e-12):
        return None
    fits = _whole(actual, expected) + _decimals(actual, expected)
    if not _another_count(actual, facts or {}):
        fits += _factors(actual, expected, facts or {})
    if _near(actual, -expected):
        fits.append(f"the expected {expected:.6g} with its sign flipped")
    if len(fits) != 1:  # two patterns explain it alike: neither is proven
        return None
    return Finding(f"your number is {fits[0]}.", carries_value=True)

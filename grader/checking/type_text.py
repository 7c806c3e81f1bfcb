"""Where two plain values' types first differ, in words: so a message never says "it should be
a list of length 10 but is a list of length 10" when only an item's type differs."""

from __future__ import annotations

from typing import Any


def _name(value: Any) -> str:
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def type_difference(actual: Any, expected: Any, where: str = "") -> str:
    """The first place (item index, dict key) where `actual`'s type differs from `expected`'s,
    as "item 3 is a float, expected an int"; "" when no difference is found below the top."""
    if type(actual) is not type(expected):
        return f"{where or 'it'} is {_name(actual)}, expected {_name(expected)}" if where else ""
    if isinstance(expected, (list, tuple)) and len(actual) == len(expected):
        for index, (a, e) in enumerate(zip(actual, expected)):
            found = type_difference(a, e, f"{where}[{index}]" if where else f"item {index}")
            if found:
                return found
    if isinstance(expected, dict) and set(actual) == set(expected):
        for key in expected:
            found = type_difference(actual[key], expected[key], f"{where}[{key!r}]")
            if found:
                return found
    return ""


def field_difference(actual: Any, expected: Any, most: int = 3) -> str:
    """For two dicts with the same keys, only the fields that differ ("Field 'fc' is (...),
    expected (...)."), never the two whole records; "" for anything else."""
    if not (isinstance(actual, dict) and isinstance(expected, dict)) or set(actual) != set(
        expected
    ):
        return ""
    differ = [key for key in expected if actual[key] != expected[key]]
    lines = [f"Field {k!r} is {actual[k]!r}, expected {expected[k]!r}." for k in differ[:most]]
    more = f"\n... and {len(differ) - most} more fields differ." if len(differ) > most else ""
    return "\n".join(lines) + more


def type_words(wanted: str, found: str, actual: Any, expected: Any) -> str:
    """Both descriptions, or where the types differ when the two read alike."""
    if wanted == found and type_difference(actual, expected):
        return f"It is {found}, but its {type_difference(actual, expected)}"
    return f"It should be {wanted} but is {found}"

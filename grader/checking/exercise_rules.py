"""Exercise-specific advice for the error rules, found through the catalog: an exercise's folder
may hold a torch-free `rules.py` whose ADVICE maps a rule's name to what to check in that
exercise (it replaces the rule's general "What to check", for the rules that leave it open).

An advice is a text, or {"text": ..., "needs": [fact names]} (grader/checking/advice_facts.py):
the text is said only when those facts hold for the error at hand; or a list of such, the
first whose facts hold said."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from grader.checking.advice_facts import FACTS
from grader.checking.error_rules import Fact
from grader.workbook.catalog import exercise_by_id
from grader.workbook.exercise_folder import RULES, part
from grader.workbook.files import load_grader_file


@functools.cache
def advice(exercise_id: str) -> Mapping[str, tuple[tuple[str, tuple[Fact, ...]], ...]]:
    """{rule name: ((what to check, the facts it needs), ...)} for the exercise, in the order
    to try them; empty for none, or an id the catalog lacks."""
    try:
        path = part(exercise_by_id(exercise_id), RULES)
    except KeyError:
        return MappingProxyType({})
    if path is None:
        return MappingProxyType({})
    found = getattr(load_grader_file(f"rules_{exercise_id}", path), "ADVICE", {})
    if not isinstance(found, dict) or not all(isinstance(k, str) for k in found):
        raise TypeError(f"{path}: ADVICE must be a dict {{rule name: text}}")
    return MappingProxyType(
        {
            name: tuple(_entry(path, name, v) for v in (value if type(value) is list else [value]))
            for name, value in found.items()
        }
    )


def _entry(path, name: str, value) -> tuple[str, tuple[Fact, ...]]:
    if isinstance(value, str):
        return value, ()
    if (
        isinstance(value, dict)
        and isinstance(value.get("text"), str)
        and isinstance(value.get("needs", []), list)
        and all(n in FACTS for n in value.get("needs", []))
    ):
        return value["text"], tuple(FACTS[n] for n in value.get("needs", []))
    raise TypeError(
        f"{path}: ADVICE[{name!r}] must be a text or {{'text': ..., 'needs': [fact names]}} "
        f"with facts among {sorted(FACTS)}"
    )

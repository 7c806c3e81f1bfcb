"""Exercise-specific advice for the error rules, found through the catalog: an exercise's folder
may hold a torch-free `rules.py` whose ADVICE maps a rule's name to what to check in that
exercise (it replaces the rule's general "What to check", for the rules that leave it open)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from grader.workbook.catalog import exercise_by_id
from grader.workbook.exercise_folder import RULES, part
from grader.workbook.files import load_file


@functools.cache
def advice(exercise_id: str) -> Mapping[str, str]:
    """{rule name: what to check} for the exercise; empty for none, or an id the catalog lacks."""
    try:
        path = part(exercise_by_id(exercise_id), RULES)
    except KeyError:
        return MappingProxyType({})
    if path is None:
        return MappingProxyType({})
    found = getattr(load_file(f"rules_{exercise_id}", path), "ADVICE", {})
    if not isinstance(found, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in found.items()
    ):
        raise TypeError(f"{path}: ADVICE must be a dict {{rule name: text}}")
    return MappingProxyType(dict(found))

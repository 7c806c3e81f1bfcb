"""The ordered list of exercises, read from `workbook.toml` and validated on load.

This is the only place that knows which exercises exist; everything else asks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, as the `tomli` package
    import tomli as tomllib

from grader.workbook.limits import Limits, with_overrides
from grader.workbook.paths import CATALOG_FILE, CHECKS_DIR

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FIELDS = {
    "number": int,
    "id": str,
    "title": str,
    "section": str,
    "points": int,
    "time_limit": (int, float),
    "hints": list,
}
_OPTIONAL = {"warm_up": list}
WARM_UPS = ("optimizer", "torchvision")


class CatalogError(ValueError):
    """workbook.toml is malformed; the message says which entry and field."""


@dataclass(frozen=True)
class Exercise:
    number: int
    id: str
    title: str
    section: str
    points: int
    time_limit: float
    hints: tuple[str, ...]
    warm_up: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        """`NN_<id>.py`, as the spec names both stubs and submissions."""
        return f"{self.number:02d}_{self.id}.py"

    @property
    def folder(self) -> Path:
        """`checks/NN_<id>/`: the exercise's checks, driver, inputs, oracle, rules and corpus
        (what each is: grader/workbook/exercise_folder.py)."""
        return CHECKS_DIR / f"{self.number:02d}_{self.id}"

    @property
    def check_files(self) -> list[Path]:
        """The folder's check modules, `check_NN_<id>*.py`, in name order."""
        return sorted(self.folder.glob("check_*.py"))


def parse_catalog(text: str, source: str = "workbook.toml") -> list[Exercise]:
    """Parse and validate the catalog text; raise CatalogError naming the bad entry."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{source}: not valid TOML: {exc}") from exc
    entries = data.get("exercise")
    if not isinstance(entries, list) or not entries:
        raise CatalogError(f"{source}: needs at least one [[exercise]] table")
    exercises = []
    for position, entry in enumerate(entries, start=1):
        where = f"{source}: exercise #{position}"
        unknown = set(entry) - set(_FIELDS) - set(_OPTIONAL)
        if unknown:
            raise CatalogError(f"{where}: unknown field(s) {sorted(unknown)}")
        for field, kind in _FIELDS.items():
            if field not in entry:
                raise CatalogError(f"{where}: missing field {field!r}")
            if not isinstance(entry[field], kind) or isinstance(entry[field], bool):
                raise CatalogError(f"{where}: field {field!r} has the wrong type")
        for field, kind in _OPTIONAL.items():
            if field in entry and not isinstance(entry[field], kind):
                raise CatalogError(f"{where}: field {field!r} has the wrong type")
        unknown_warm_ups = set(entry.get("warm_up", [])) - set(WARM_UPS)
        if unknown_warm_ups:
            raise CatalogError(
                f"{where}: warm_up takes {list(WARM_UPS)}, not {sorted(unknown_warm_ups)}"
            )
        if entry["number"] != position:
            raise CatalogError(
                f"{where}: number is {entry['number']}, expected {position} "
                "(exercises are numbered 1, 2, ... in file order)"
            )
        if not _ID.match(entry["id"]):
            raise CatalogError(f"{where}: id {entry['id']!r} is not a lowercase identifier")
        if entry["points"] <= 0 or entry["time_limit"] <= 0:
            raise CatalogError(f"{where}: points and time_limit must be positive")
        hints = entry["hints"]
        if not hints or not all(isinstance(h, str) and h.strip() for h in hints):
            raise CatalogError(f"{where}: hints must be a non-empty list of non-empty strings")
        exercises.append(
            Exercise(
                entry["number"],
                entry["id"],
                entry["title"],
                entry["section"],
                entry["points"],
                float(entry["time_limit"]),
                tuple(hints),
                tuple(entry.get("warm_up", ())),
            )
        )
    ids = [e.id for e in exercises]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CatalogError(f"{source}: duplicate id(s) {duplicates}")
    return exercises


def parse_limits(text: str, source: str = "workbook.toml") -> Limits:
    """The `[limits]` table: the defaults every worker runs under."""
    table = tomllib.loads(text).get("limits", {})
    if not isinstance(table, dict):
        raise CatalogError(f"{source}: [limits] must be a table")
    try:
        return with_overrides(Limits(), table)
    except ValueError as exc:
        raise CatalogError(f"{source}: [limits]: {exc}") from None


@cache
def load_limits(path: Path = CATALOG_FILE) -> Limits:
    return parse_limits(path.read_text(encoding="utf-8"), source=path.name)


def configured_limits(overrides: list[str] | tuple[str, ...] = ()) -> Limits:
    """workbook.toml's limits with `NAME=VALUE` overrides (from --limit); ValueError names a bad
    one."""
    return with_overrides(load_limits(), overrides)


@cache
def load_catalog(path: Path = CATALOG_FILE) -> tuple[Exercise, ...]:
    return tuple(parse_catalog(path.read_text(encoding="utf-8"), source=path.name))


def exercise_by_id(exercise_id: str) -> Exercise:
    """Look an exercise up by id or by number ("3", "03"); KeyError lists the valid ids."""
    for exercise in load_catalog():
        if exercise_id in (exercise.id, str(exercise.number), f"{exercise.number:02d}"):
            return exercise
    valid = ", ".join(e.id for e in load_catalog())
    raise KeyError(f"no exercise {exercise_id!r}; the exercises are: {valid}")

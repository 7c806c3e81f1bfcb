"""Regrading part of a class: `--student ID` (the students named, the others kept from OUT) and
what `--resume` will grade again because a stored result was made with other checks, another
workbook.toml, another grader or another key."""

from __future__ import annotations

import json
from pathlib import Path

from grader.workbook.entries import Entry
from grader.workbook.intake import digest
from grader.workbook.run_mark import run_mark

RESULTS_DIR = ".results"


def matches(entry: Entry, wanted: str) -> bool:
    """`wanted` names `entry`: its gradebook key, the site's id, its file key or its name."""
    folded = wanted.strip().casefold()
    return folded in {
        entry.student.casefold(),
        entry.site_id.casefold(),
        entry.key.casefold(),
        (entry.display or entry.student).casefold(),
    } - {""}


def select(entries: list[Entry], wanted: tuple[str, ...]) -> tuple[list[Entry], list[str]]:
    """The entries `wanted` name, and the ids that name none (or more than one)."""
    chosen, unknown = [], []
    for name in wanted:
        found = [e for e in entries if matches(e, name)]
        if len(found) == 1:
            chosen.append(found[0])
        else:
            how = "no student" if not found else f"{len(found)} students"
            unknown.append(f"{name} ({how})")
    return chosen, unknown


def forget(out: Path, entries: list[Entry]) -> None:
    """Remove the stored results of `entries`, so that a resumed run grades them again."""
    for entry in entries:
        (out / RESULTS_DIR / f"{entry.key}.json").unlink(missing_ok=True)


def stale(out: Path, entries: list[Entry], key_mark: str) -> list[str]:
    """Students whose stored result was made from the same submission but with other checks,
    workbook.toml, grader version or key: --resume grades them again."""
    mark = key_mark + run_mark()  # what grade_batch appends to a result's digest
    found = []
    for entry in entries:
        path = out / RESULTS_DIR / f"{entry.key}.json"
        try:
            stored = str(json.loads(path.read_text(encoding="utf-8")).get("digest", ""))
        except (OSError, ValueError, AttributeError):
            continue
        now = digest(entry)
        if stored.startswith(now) and stored != now + mark:
            found.append(entry.student)
    return found

"""Moodle's grade column: the assignment's own column when the roster (Moodle's grade export)
already has it, `Assignment: <title> (Real)` as Moodle writes it, so the import maps onto the
instructor's existing grade item instead of a new one."""

from __future__ import annotations

import re

from grader.exports.lms.grade_file import Column
from grader.exports.lms.roster_file import Roster, RosterError

MOODLE_POINTS = 100.0  # Moodle refuses imported grades above 100 unless unlimitedgrades is on
_MOODLE_EXISTING = re.compile(
    r"^(?:Assignment:\s*)?(?P<title>.*?\S)\s*\((?:Real|Letter|Percentage)\)$"
)


def moodle_column(roster: Roster, title: str, points: float | None) -> Column:
    """The roster's `Assignment: Title (Real)` when it has one (its header kept), else `Title`."""
    found = [
        h
        for h in roster.header
        if (m := _MOODLE_EXISTING.match(h.strip())) and m["title"].casefold() == title.casefold()
    ]
    if len(found) > 1:
        raise RosterError(
            f"the roster has {len(found)} columns titled {title!r}: {'; '.join(found)}"
        )
    if found:
        return Column(found[0], points or MOODLE_POINTS, True)
    return Column(title, points or MOODLE_POINTS, False)

"""What grading a batch yields, in order: each stored result still valid (`Resumed`), then
`Started` once, then each submission as it is graded (`Graded`, already on disk)."""

from __future__ import annotations

from dataclasses import dataclass

from grader.workbook.intake import Entry
from grader.workbook.results import BatchRecord


@dataclass(frozen=True)
class Resumed:
    """A result graded by an earlier run, of the same files with the same key: kept."""

    record: BatchRecord


@dataclass(frozen=True)
class Started:
    """Grading begins: `count` of the batch's `total` submissions are to be graded."""

    count: int
    total: int


@dataclass(frozen=True)
class Graded:
    """One submission graded, its result written to OUT/.results/ already."""

    entry: Entry
    record: BatchRecord


BatchEvent = Resumed | Started | Graded

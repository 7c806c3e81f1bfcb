"""A course site's own roster export (Canvas's Gradebook CSV, Moodle's grade export, Blackboard's
Grade Center download), read as it is: its encoding and delimiter detected, its header and rows
kept verbatim, and the columns that say who a row is found by name. Torch-free."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

MAX_ROSTER_BYTES = 50_000_000  # a class of 10,000 with 100 columns is about 10 MB

# Canvas puts these rows under the header: points per assignment, and (in some exports) a row
# of posting policies ("Manual Posting", formerly "Muted"). Neither is a student.
_CANVAS_POINTS = re.compile(r"^\s*Points Possible\s*$", re.I)
_CANVAS_POLICY = {"manual posting", "muted"}


class RosterError(ValueError):
    """A roster that cannot be used: unreadable, empty, or without a column that says who."""


@dataclass(frozen=True)
class Roster:
    """The roster's header and student rows, as the site wrote them; `preamble` holds the rows
    between header and students that are not students (Canvas's Points Possible row)."""

    header: list[str]
    rows: list[list[str]]
    preamble: list[list[str]] = field(default_factory=list)
    delimiter: str = ","

    def column(self, *names: str) -> int | None:
        """The index of the first of `names` present in the header (case-insensitive)."""
        lowered = [h.strip().lower() for h in self.header]
        for name in names:
            if name.lower() in lowered:
                return lowered.index(name.lower())
        return None

    def cell(self, row: list[str], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""


def decode(data: bytes) -> str:
    """Text of a roster: UTF-16 (Blackboard's .xls download) or UTF-8 (with or without the BOM
    that Excel adds), else Latin-1, which never fails (Moodle lets a teacher choose it)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _delimiter(text: str) -> str:
    """Comma, tab or semicolon: whichever splits the header line into the most cells."""
    first = text.split("\n", 1)[0]
    counts = {d: len(next(csv.reader([first], delimiter=d))) for d in (",", "\t", ";")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _is_preamble(row: list[str]) -> bool:
    cells = [c.strip() for c in row]
    if cells and _CANVAS_POINTS.match(cells[0]):
        return True
    filled = {c.lower() for c in cells if c}
    return bool(filled) and filled <= _CANVAS_POLICY


def parse_roster(text: str) -> Roster:
    delimiter = _delimiter(text)
    lines = [
        r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)
    ]
    if not lines:
        raise RosterError("the roster is empty")
    header, body = lines[0], lines[1:]
    preamble = []
    while body and _is_preamble(body[0]):
        preamble.append(body.pop(0))
    return Roster([h.strip() for h in header], body, preamble, delimiter)


def read_roster(path: Path) -> Roster:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_ROSTER_BYTES + 1)
    except OSError as exc:
        raise RosterError(f"the roster {path} cannot be read ({exc.strerror})") from None
    if len(data) > MAX_ROSTER_BYTES:
        raise RosterError(f"the roster {path} is larger than {MAX_ROSTER_BYTES:,} bytes")
    try:
        return parse_roster(decode(data))
    except csv.Error as exc:
        raise RosterError(f"the roster {path} is not a CSV file ({exc})") from None

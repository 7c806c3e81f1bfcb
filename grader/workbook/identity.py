"""Who an entry of a batch belongs to: the student id from its name, with the suffixes that
course sites add when they export submissions parsed off. Torch-free.

    Canvas      smithjohn_12345_67890_cnn_workbook.zip
                smithjohn_late_12345_67890_NN_<id>.py
    Moodle      Fatima Al-Sayed_48213_assignsubmission_file_/ (a folder)
    Blackboard  Lab 3_jdoe_attempt_2026-11-02-10-31-07_NN_<id>.py (and its .txt receipt)
    Gradescope  submission_123456/ (named from submission_metadata.yml when it is there)
    plain       alice/, alice.zip, alice.tar.gz
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from grader.workbook.gather import ARCHIVE_SUFFIXES

_CANVAS = re.compile(r"^(?P<student>[^_]+?)(?:_late)?_(?P<site>\d+)_\d+_(?P<rest>.+)$", re.I)
_MOODLE = re.compile(r"^(?P<student>.+?)_(?P<site>\d+)_assignsubmission_[a-z]+_?(?P<rest>.*)$")
_BLACKBOARD = re.compile(
    r"^.*?_(?P<student>[^_]+)_attempt_(?P<site>\d{4}(?:-\d\d){5})"
    r"(?:_(?P<rest>.+)|\.txt)?$"
)
_GRADESCOPE = re.compile(r"^submission_(?P<site>\d+)$")


@dataclass(frozen=True)
class Name:
    """An entry's name read: the student's id, the site's id for them, the site, and the name of
    the file inside the export when the site prefixed a student's file (not a folder)."""

    student: str
    site_id: str = ""
    site: str = ""
    inner: str = ""


def strip_archive_suffix(name: str) -> str:
    lower = name.lower()
    for suffix in sorted(ARCHIVE_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def read_name(name: str, is_folder: bool, roster: dict[str, str] | None = None) -> Name:
    """The student behind an entry named `name` (a folder when `is_folder`, else a file)."""
    if is_folder and (match := _GRADESCOPE.match(name)):
        site = match["site"]
        return Name((roster or {}).get(site) or name, site, "gradescope")
    if match := _MOODLE.match(name):
        return Name(
            match["student"].strip(), match["site"], "moodle", "" if is_folder else match["rest"]
        )
    if match := _BLACKBOARD.match(name):
        return Name(
            match["student"],
            match["site"],
            "blackboard",
            "" if is_folder else (match["rest"] or ""),
        )
    if not is_folder and (match := _CANVAS.match(name)):
        return Name(match["student"], match["site"], "canvas", match["rest"])
    if is_folder:
        if match := _CANVAS.match(name):
            return Name(match["student"], match["site"], "canvas")
        return Name(name)
    return Name(strip_archive_suffix(name))


def gradescope_roster(batch: Path) -> dict[str, str]:
    """{submission id: student} from Gradescope's submission_metadata.yml, read line by line (a
    YAML library is not needed for its fixed shape); the student is the sid, else the email."""
    path = batch / "submission_metadata.yml"
    try:
        text = path.read_text(encoding="utf-8", errors="replace")[:10_000_000]
    except OSError:
        return {}
    roster: dict[str, str] = {}
    current = ""
    for line in text.splitlines():
        if match := re.match(r"^:?submission_(\d+):\s*$", line):
            current = match[1]
        elif current and (match := re.match(r"^\s+-?\s*:(sid|email):\s*(\S.*?)\s*$", line)):
            value = match[2].strip("'\"")
            if value and (match[1] == "sid" or current not in roster):
                roster[current] = value
    return roster

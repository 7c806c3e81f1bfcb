"""Who an entry of a batch belongs to: the student id from its name, with the suffixes that
course sites add when they export submissions parsed off. Torch-free.

    Canvas      smithjohn_12345_67890_cnn_workbook.zip
                smithjohn_late_12345_67890_NN_<id>.py
    Moodle      Fatima Al-Sayed_48213_assignsubmission_file_/ (a folder)
    Blackboard  Lab 3_jdoe_attempt_2026-11-02-10-31-07_NN_<id>.py (and its .txt receipt)
    Gradescope  submission_123456/ (named from submission_metadata.yml when it is there)
    plain       alice/, alice.zip, alice.tar.gz

The rules themselves are in sites.py; this module keeps the reading of one name alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from grader.workbook.gather import ARCHIVE_SUFFIXES
from grader.workbook.sites import Name, decide, read_by


def read_name(name: str, is_folder: bool, roster: dict[str, str] | None = None) -> Name:
    """The student behind an entry named `name` read alone (a batch of one): its site decided
    from this name only. A batch decides its site from all its entries (see survey)."""
    rules = decide([(name, is_folder)], roster=roster)
    found = read_by(rules.site, name, is_folder, rules) if rules.site else None
    if found:
        return found
    return Name(name if is_folder else strip_archive_suffix(name))


def strip_archive_suffix(name: str) -> str:
    lower = name.lower()
    for suffix in sorted(ARCHIVE_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


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

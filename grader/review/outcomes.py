"""Integrity flags from the results: workers that died by a signal, ended on their own, or hit a
resource limit. Read from the checks' messages, whose first words are the grader's own (see
grader/checking/problems.py and submission.py). A per-call timeout is not flagged: an endless
loop is the commonest honest mistake, and report.html lists timeouts already."""

from __future__ import annotations

import re

from grader.review.findings import Finding
from grader.workbook.catalog import Exercise
from grader.workbook.results import BatchRecord, Status

# The grader's phrases (checking/problems.py's describe_ending and problem_from_reply).
_PATTERNS = (
    ("killed", re.compile(r"the process running your code was killed by (SIG[A-Z0-9]+)")),
    (
        "limit",
        re.compile(
            r"the (memory limit|CPU time limit|file size limit|disk limit|"
            r"limit on open files) of ([0-9.]+ ?[A-Za-z]*) was exceeded"
        ),
    ),
    ("limit", re.compile(r"a file grew past the (file size limit) of ([0-9.]+ ?[A-Za-z]*)")),
    ("worker_ended", re.compile(r"the process running your code (exited with code -?\d+)")),
    ("worker_ended", re.compile(r"the process running your code (stopped answering)")),
)


def outcome_findings(record: BatchRecord, exercises: list[Exercise]) -> list[tuple[str, Finding]]:
    """(exercise file, finding) for each way a worker of this student ended badly, once per
    exercise and kind of ending."""
    files = {e.id: e.filename for e in exercises}
    found: dict[tuple[str, str], Finding] = {}
    for exercise_id, result in record.result.exercises.items():
        for check in result.checks:
            if check.status not in (Status.ERROR, Status.TIMEOUT, Status.FAILED):
                continue
            first = check.message.split("\n", 1)[0][:2000]
            for kind, pattern in _PATTERNS:
                match = pattern.search(first)
                if match and (exercise_id, match.group(1)) not in found:
                    what = _what(kind, match)
                    found[(exercise_id, match.group(1))] = Finding(
                        kind, f"{what} ({check.name})", None
                    )
                    break
    return [(files.get(e, e), f) for (e, _), f in found.items()]


def _what(kind: str, match: re.Match) -> str:
    if kind == "killed":
        return f"its worker was killed by {match.group(1)}"
    if kind == "limit":
        return f"its worker hit the {match.group(1)} of {match.group(2)}"
    return f"its worker {match.group(1)}"

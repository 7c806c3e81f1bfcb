"""One cause, said once: the failed checks of an exercise grouped by what made them fail, for
every writer (terminal, `grader check --json`, feedback files, Gradescope).

Checks share a cause when they name the same likely mistake (`CheckResult.mistake`, set by the
check itself: never a "Likely mistake:" line read back from a message, which a student's code
may have written) or when their messages are the same (one load error, one exception, one time
limit): a syntax error is said once, not once per check. A traceback that several causes
show is shown with the first (grader/reports/traceback_once.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.reports.traceback_once import shown_once
from grader.workbook.results import CheckResult, ExerciseResult

MISTAKE = "Likely mistake:"
# A grid row of a message (grader.checking.tensor_text: indented cells, a `*` after a differing
# one), and the lines that show a check's inputs and expected values (hidden checks drop them).
GRID_ROW = re.compile(r"^ {4}(?:\s*(?:-?\d[\d.e+-]*|nan|-?inf|True|False)\*?)+\s*$")
_DETAIL = re.compile(r"^(?:Input:|Expected[:( ]|Got[:( ]|Both are \(|\d+ of \d+ values differ)")


def is_detail(line: str) -> bool:
    """A line that shows inputs, expected or actual values (grids included)."""
    return bool(_DETAIL.match(line) or GRID_ROW.match(line))


@dataclass(frozen=True)
class Cause:
    """`text` is said once; `checks` are the failed checks it cost, in the exercise's order;
    `evidence` is what the first of them saw, without `text` ("" when the message is the text)."""

    text: str
    checks: tuple[CheckResult, ...]
    evidence: str

    @property
    def shared(self) -> bool:
        return len(self.checks) > 1

    @property
    def points_lost(self) -> float:
        return sum(c.max_score - c.score for c in self.checks)

    @property
    def score(self) -> float:
        return sum(c.score for c in self.checks)

    @property
    def max_score(self) -> float:
        return sum(c.max_score for c in self.checks)


def _split(check: CheckResult) -> tuple[str, str]:
    """(cause, evidence): the named mistake and the rest of the message, or the whole message."""
    if not check.mistake:
        return check.message, ""
    named = f"{MISTAKE} {check.mistake}"
    evidence = check.message.replace(f"\n{named}", "").replace(named, "")
    return named, evidence.strip()


def causes(result: ExerciseResult) -> list[Cause]:
    """The causes of an exercise's failed checks, each once, in the order of their first check."""
    groups: dict[str, list[CheckResult]] = {}
    for check in result.checks:
        if not check.passed:
            groups.setdefault(_split(check)[0], []).append(check)
    found = []
    # the check that speaks for each cause, a traceback an earlier cause showed pointed to
    speakers = shown_once(checks[0] for checks in groups.values())
    for (text, checks), speaker in zip(groups.items(), speakers):
        checks[0] = speaker
        text = text if speaker.mistake else speaker.message
        evidence = _split(checks[0])[1]
        if len(checks) == 1:  # a cause of one check is its message, as it was written
            text, evidence = checks[0].message, ""
        found.append(Cause(text, tuple(checks), evidence))
    return found


def exercise_json(result: ExerciseResult) -> dict:
    """An exercise's results as `grader check --json` gives them: `causes` says each cause once,
    with the checks it cost and the points lost; each failed check carries the index of its cause
    (`cause`) and keeps its whole message, for tools that read one check at a time."""
    data = result.to_json()
    found = causes(result)
    index = {c.name: i for i, cause in enumerate(found) for c in cause.checks}
    for check, entry in zip(result.checks, data["checks"]):
        if check.name in index:
            entry["cause"] = index[check.name]
    data["causes"] = [
        {
            "text": cause.text,
            "checks": [c.name for c in cause.checks],
            "points_lost": cause.points_lost,
        }
        for cause in found
    ]
    return data

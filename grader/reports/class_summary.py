"""What a class's results say, as plain data for the report's writers: per exercise the counts and
the attempters' scores, the named mistakes counted by student, the load errors (one per student
and exercise, told apart from wrong answers), and the students whose code erred or hit a limit."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from grader.workbook.catalog import Exercise
from grader.workbook.results import (
    BatchRecord,
    CheckResult,
    ExerciseResult,
    ExerciseStatus,
    Status,
)

_SYNTAX = ("SyntaxError", "IndentationError", "TabError")
# The intake's single check standing for a whole exercise it could not take in (batch.py).
_WHOLE_SUBMISSION = "submission"


def mistake_of(check: CheckResult) -> str | None:
    """The named mistake a failed check diagnosed, as the check named it (never read back from a
    message, which may quote what a student's code wrote)."""
    if check.passed:
        return None
    return check.mistake.strip() or None


@dataclass(frozen=True)
class LoadProblem:
    """A file that could not be taken in or imported: one per student and exercise (`exercise`
    is "" when the whole submission could not be read)."""

    student: str
    exercise: str
    kind: str
    message: str


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def unreadable_submission(record: BatchRecord) -> str | None:
    """Why no exercise of the submission could be read (a broken archive, no exercise files, the
    grader failing on it), or None: batch.py then gives each exercise one "submission" check."""
    results = list(record.result.exercises.values())
    if not results or not all(
        len(r.checks) == 1
        and r.checks[0].name == _WHOLE_SUBMISSION
        and r.checks[0].status is Status.NOT_ATTEMPTED
        for r in results
    ):
        return None
    return _first_line(results[0].checks[0].message) or "the submission could not be read"


def load_problem_of(result: ExerciseResult, exercise: Exercise) -> tuple[str, str] | None:
    """(kind, message) when the exercise's file could not be imported: every check then failed
    with the one message the worker's load gave (checking/submission.py caches it)."""
    failed = [c for c in result.checks if not c.passed]
    if not failed or len(failed) != len(result.checks):
        return None
    message = failed[0].message
    if any(c.message != message or c.status is Status.NOT_ATTEMPTED for c in failed):
        return None
    first = _first_line(message)
    name = re.escape(exercise.filename)
    if re.match(rf"^({'|'.join(_SYNTAX)}) in {name}\b", first):
        return "syntax error", first
    if re.match(rf"^[\w.]+ in {name}\b", first):
        return "error at import", first
    if re.search(rf"\bloading {name} failed\b", first):
        return "the worker could not load the file", first
    if re.search(rf"\bloading {name}\b", first):
        kind = "a limit hit at import" if "limit" in first else "error at import"
        return kind, first
    return None


def load_problems(records: dict[str, BatchRecord], exercises: list[Exercise]) -> list[LoadProblem]:
    found = []
    for student, record in records.items():
        whole = unreadable_submission(record)
        if whole is not None:
            kind = "grader failed" if record.detail else "submission unreadable"
            found.append(LoadProblem(student, "", kind, whole))
            continue
        for e in exercises:
            problem = load_problem_of(record.result.exercises[e.id], e)
            if problem:
                found.append(LoadProblem(student, e.id, *problem))
    return found


@dataclass
class ExerciseSummary:
    exercise: Exercise
    scores: list[float]  # of the students who attempted it
    full_marks: int
    failing: int
    absent: list[str]  # the students who did not attempt it
    mistakes: list[tuple[str, list[str]]] = field(default_factory=list)  # most students first
    wordings: dict[str, int] = field(default_factory=dict)  # a mistake's wordings, when several
    checks: list[tuple[str, list[str]]] = field(default_factory=list)  # failed wrong answers
    unnamed: list[str] = field(default_factory=list)  # wrong answers without a named mistake
    unloaded: list[str] = field(default_factory=list)  # whose file could not be loaded

    @property
    def attempted(self) -> int:
        return len(self.scores)

    @property
    def not_attempted(self) -> int:
        return len(self.absent)

    @property
    def mean(self) -> float | None:
        return statistics.mean(self.scores) if self.scores else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.scores) if self.scores else None


def mistake_key(name: str) -> str:
    """One mistake however its numbers read: a check names it with its own inputs ("padding is
    ignored: with padding=1 ..." and "... padding=2 ..."), and a student is counted once."""
    return re.sub(r"\d+", "#", name)


def _ranked(counted: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    return sorted(counted.items(), key=lambda item: (-len(item[1]), item[0]))


def summarize(exercise: Exercise, records: dict[str, BatchRecord]) -> ExerciseSummary:
    """One exercise over the class; a load error is no wrong answer, so its checks are not counted
    among the checks failed."""
    summary = ExerciseSummary(exercise, [], 0, 0, [])
    mistakes: dict[str, list[str]] = {}
    worded: dict[str, Counter[str]] = {}
    checks: dict[str, list[str]] = {}
    for student, record in records.items():
        mine = record.result.exercises[exercise.id]
        if mine.status is ExerciseStatus.NOT_ATTEMPTED:
            summary.absent.append(student)
            continue
        summary.scores.append(mine.score)
        if mine.status is ExerciseStatus.PASSING:
            summary.full_marks += 1
            continue
        summary.failing += 1
        if load_problem_of(mine, exercise):
            summary.unloaded.append(student)
            continue
        named = [m for m in map(mistake_of, mine.checks) if m]
        for key in dict.fromkeys(map(mistake_key, named)):
            mistakes.setdefault(key, []).append(student)
        for name in named:
            worded.setdefault(mistake_key(name), Counter())[name] += 1
        if not named:
            summary.unnamed.append(student)
        for check in mine.checks:
            if not check.passed and check.status is not Status.NOT_ATTEMPTED:
                checks.setdefault(check.name, []).append(student)
    # shown in its most common wording (the first in order on a tie)
    shown = {key: min(w, key=lambda n: (-w[n], n)) for key, w in worded.items()}
    summary.mistakes = [(shown[key], who) for key, who in _ranked(mistakes)]
    summary.mistakes.sort(key=lambda item: (-len(item[1]), item[0]))
    summary.wordings = {shown[k]: len(w) for k, w in worded.items() if len(w) > 1}
    summary.checks = _ranked(checks)
    return summary


@dataclass(frozen=True)
class Trouble:
    """A student whose code erred, timed out or hit a limit while checks ran (load errors apart),
    or whose intake left a note."""

    student: str
    what: list[str]  # "NN <id>: 2 errors, 1 timeout, a limit hit"
    notes: list[str]


def troubles(records: dict[str, BatchRecord], exercises: list[Exercise]) -> list[Trouble]:
    found = []
    for student, record in records.items():
        if unreadable_submission(record):
            continue  # listed among the load errors, with its note
        what = []
        for e in exercises:
            mine = record.result.exercises[e.id]
            if load_problem_of(mine, e):
                continue
            errors = sum(c.status is Status.ERROR for c in mine.checks)
            timeouts = sum(c.status is Status.TIMEOUT for c in mine.checks)
            limits = sum("limit" in c.message for c in mine.checks if not c.passed)
            parts = [f"{n} {word}{'s' * (n > 1)}" for n, word in ((errors, "error"),) if n]
            parts += [f"{timeouts} timeout{'s' * (timeouts > 1)}"] if timeouts else []
            parts += [f"{limits} limit{'s' * (limits > 1)} hit"] if limits else []
            if parts:
                what.append(f"{e.number:02d} {e.id}: {', '.join(parts)}")
        if what or record.notes:
            found.append(Trouble(student, what, list(record.notes)))
    return found

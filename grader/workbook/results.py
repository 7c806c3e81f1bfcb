"""Typed results: statuses, checks, exercises, a submission, a batch's record of one student; and
their versioned JSON form (`to_json`/`from_json`, the only place that knows its keys)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from grader.workbook.figures import Figure, figures_from_json, figures_to_json

RESULTS_FORMAT_VERSION = 1


class Status(str, Enum):
    """A check's status."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    NOT_ATTEMPTED = "not_attempted"
    TIMEOUT = "timeout"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class ExerciseStatus(str, Enum):
    """An exercise's status, as `grader list` shows it."""

    NOT_ATTEMPTED = "not attempted"
    PASSING = "passing"
    FAILING = "failing"


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    score: float
    max_score: float
    message: str = ""
    mistake: str = ""  # the named likely mistake, also in the message; "" when none was named
    output: str = ""  # what the learner's code printed during the check (its tail)
    figures: tuple[Figure, ...] = ()  # pictures of the answer (grader check --html)

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    def to_json(self) -> dict:
        data = {
            "name": self.name,
            "score": self.score,
            "max_score": self.max_score,
            "passed": self.passed,
            "status": self.status.value,
            "message": self.message,
        }
        if self.mistake:
            data["mistake"] = self.mistake
        if self.output:
            data["output"] = self.output
        if self.figures:
            data["figures"] = figures_to_json(self.figures)
        return data

    @classmethod
    def from_json(cls, data: dict) -> CheckResult:
        return cls(
            str(data["name"]),
            Status(data["status"]),
            float(data["score"]),
            float(data["max_score"]),
            str(data.get("message", "")),
            str(data.get("mistake", "")),
            str(data.get("output", "")),
            figures_from_json(data.get("figures")),
        )


@dataclass
class ExerciseResult:
    id: str
    max_score: float
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(c.score for c in self.checks)

    @property
    def status(self) -> ExerciseStatus:
        if not self.checks or all(c.status is Status.NOT_ATTEMPTED for c in self.checks):
            return ExerciseStatus.NOT_ATTEMPTED
        if all(c.passed for c in self.checks):
            return ExerciseStatus.PASSING
        return ExerciseStatus.FAILING

    def to_json(self) -> dict:
        return {
            "score": self.score,
            "max_score": self.max_score,
            "status": self.status.value,
            "checks": [c.to_json() for c in self.checks],
        }

    @classmethod
    def from_json(cls, exercise_id: str, data: dict) -> ExerciseResult:
        return cls(
            exercise_id,
            float(data["max_score"]),
            [CheckResult.from_json(c) for c in data["checks"]],
        )


@dataclass
class SubmissionResult:
    exercises: dict[str, ExerciseResult]

    @property
    def total(self) -> float:
        return sum(e.score for e in self.exercises.values())

    @property
    def max_total(self) -> float:
        return sum(e.max_score for e in self.exercises.values())

    @property
    def all_passed(self) -> bool:
        return all(c.passed for e in self.exercises.values() for c in e.checks)

    def to_json(self) -> dict:
        return {
            "format_version": RESULTS_FORMAT_VERSION,
            "total": self.total,
            "max_total": self.max_total,
            "exercises": {i: e.to_json() for i, e in self.exercises.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> SubmissionResult:
        return cls({i: ExerciseResult.from_json(i, e) for i, e in data["exercises"].items()})


@dataclass
class BatchRecord:
    """One student's result in a batch, as stored in `OUT/.results/<key>.json`: `notes` are for
    people (the instructor, the feedback file); `detail` is for debugging the grader."""

    student: str
    key: str
    result: SubmissionResult
    exercises: list[str]
    digest: str = ""
    notes: list[str] = field(default_factory=list)
    detail: list[str] = field(default_factory=list)
    entry: dict = field(default_factory=dict)  # names, site, site_id: what the batch called it

    def with_digest(self, digest: str) -> BatchRecord:
        return replace(self, digest=digest)

    def to_json(self) -> dict:
        return {
            "student": self.student,
            "key": self.key,
            "digest": self.digest,
            "exercises": self.exercises,
            "notes": self.notes,
            "detail": self.detail,
            "entry": self.entry,
            "result": self.result.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict) -> BatchRecord:
        notes = [str(n) for n in data.get("notes", [])]
        # records written before `detail` existed kept tracebacks among the notes
        detail = [str(n) for n in data.get("detail", [])] + [
            n for n in notes if n.startswith("Traceback")
        ]
        return cls(
            str(data["student"]),
            str(data["key"]),
            SubmissionResult.from_json(data["result"]),
            [str(e) for e in data["exercises"]],
            str(data.get("digest", "")),
            [n for n in notes if not n.startswith("Traceback")],
            detail,
            {str(k): v for k, v in dict(data.get("entry") or {}).items()},
        )

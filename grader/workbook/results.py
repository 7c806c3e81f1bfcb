"""Typed results: statuses, checks, exercises, a submission; and their versioned JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

RESULTS_FORMAT_VERSION = 1


class Status(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    NOT_ATTEMPTED = "not_attempted"
    TIMEOUT = "timeout"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    score: float
    max_score: float
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    def to_json(self) -> dict:
        return {"name": self.name, "score": self.score, "max_score": self.max_score,
                "passed": self.passed, "status": self.status.value, "message": self.message}


@dataclass
class ExerciseResult:
    id: str
    max_score: float
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(c.score for c in self.checks)

    @property
    def status(self) -> str:
        """not attempted / passing / failing, as `grader list` shows it."""
        if not self.checks or all(c.status is Status.NOT_ATTEMPTED for c in self.checks):
            return "not attempted"
        return "passing" if all(c.passed for c in self.checks) else "failing"

    def to_json(self) -> dict:
        return {"score": self.score, "max_score": self.max_score, "status": self.status,
                "checks": [c.to_json() for c in self.checks]}


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
        return {"format_version": RESULTS_FORMAT_VERSION, "total": self.total,
                "max_total": self.max_total,
                "exercises": {i: e.to_json() for i, e in self.exercises.items()}}

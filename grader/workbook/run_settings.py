"""A run's settings, typed, made once from the command line and handed down: how each submission
is checked (`CheckSettings`: the worker's limits, the grading key) and what `grader grade` does
with a batch (`GradeRun`). Plain dataclasses: a new option is a new field with a default."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from grader.workbook.catalog import configured_limits
from grader.workbook.grading_key import read_key
from grader.workbook.limits import Limits


@dataclass(frozen=True)
class CheckSettings:
    """How every submission of a run is checked; picklable, so each grading process gets it whole.
    The pytest plugin takes it in memory (`grader.checking.runner`); `pytest checks` alone makes
    one from its own --limit and --grading-key-file."""

    limits: Limits = field(default_factory=configured_limits)
    key_file: Path | None = None  # a graded run: secret inputs drawn from this key, hidden checks
    check_timeout: float | None = None  # seconds per call into student code; None: per exercise

    @classmethod
    def from_options(
        cls,
        limit_overrides: Sequence[str] = (),
        key_file: Path | None = None,
        check_timeout: float | None = None,
    ) -> CheckSettings:
        """From the command line's `--limit NAME=VALUE`s (parsed here, once; ValueError names a
        bad one), the grading key's file and --check-timeout."""
        return cls(configured_limits(tuple(limit_overrides)), key_file, check_timeout)

    @property
    def graded(self) -> bool:
        return self.key_file is not None

    def resume_mark(self) -> str:
        """What of the grading key a stored result remembers: a result graded with another key is
        graded again on --resume (its inputs were other ones)."""
        if self.key_file is None:
            return ""
        return ":" + hashlib.sha256(b"resume:" + read_key(self.key_file)).hexdigest()[:16]


@dataclass
class GradeRun:
    """`grader grade BATCH`'s settings once its input is checked."""

    batch: Path
    out: Path
    workers: int
    check: CheckSettings = field(default_factory=CheckSettings)
    resume: bool = False
    only: list[str] | None = None  # exercise ids; None: every exercise
    junit: Path | None = None
    review: bool = True
    threshold: float | None = None  # similarity at which a pair is shown; None: the default

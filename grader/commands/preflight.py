"""`grader grade`'s input, checked before anything is graded: each slip an instructor can make
(a misspelt limit, an output folder inside the batch or not writable, an empty batch, two entries
of one student) is a one-line error and exit code 2, never a class graded zero."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from grader.workbook.intake import IntakeError, Survey, survey
from grader.workbook.run_settings import CheckSettings

EXIT_USAGE = 2


class InputError(click.ClickException):
    """One line on stderr ("Error: ..."), exit code 2, before any grading."""

    exit_code = EXIT_USAGE


def check_settings(limits: tuple[str, ...], key_file: Path | None = None) -> CheckSettings:
    """The run's check settings, its --limit overrides parsed (exactly what `grader check --limit`
    accepts); InputError naming a bad one."""
    try:
        return CheckSettings.from_options(limits, key_file)
    except ValueError as exc:
        raise InputError(f"--limit: {exc}") from None


def check_grade_input(batch: Path, out: Path, duplicates: str, prefix: str = "") -> Survey:
    """The batch's entries when the input is sound; InputError naming the first problem.
    `prefix`: Classroom's or Blackboard's assignment prefix, when the instructor gives it."""
    batch_at, out_at = batch.resolve(), out.resolve()
    if out_at == batch_at or out_at.is_relative_to(batch_at):
        raise InputError(
            f"--out {out} is inside the batch folder {batch}: the next run would "
            "grade it as a student; choose a folder outside the batch"
        )
    if batch_at.is_relative_to(out_at):
        raise InputError(f"the batch folder {batch} is inside --out {out}; choose another --out")
    try:
        found = survey(batch, duplicates, prefix=prefix)
    except IntakeError as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:
        raise InputError(f"the batch folder {batch} cannot be read ({exc.strerror})") from None
    if not found.entries:
        raise InputError(
            f"{batch} holds no submissions (folders, or .zip, .tar, .tar.gz or .tgz "
            "files, one per student)"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise InputError(
            f"--out {out} cannot be created or written ({exc.strerror or exc})"
        ) from None
    return found

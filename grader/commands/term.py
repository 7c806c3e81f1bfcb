"""The options of a term's grading beyond one run: a dry run, regrading some students, Classroom's
or Blackboard's assignment prefix, a late policy and overrides. Each is a few lines into the
modules that do the work (intake_table, regrade, adjustments)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from grader.commands.options import LATE_POLICY, OVERRIDES
from grader.commands.preflight import InputError
from grader.reports.escape import terminal
from grader.workbook.entries import Survey
from grader.workbook.results import BatchRecord
from grader.workbook.run_settings import CheckSettings


@dataclass
class Term:
    dry_run: bool = False
    students: tuple[str, ...] = ()
    assignment_prefix: str = ""
    late_policy: Path | None = None
    overrides: Path | None = None

    @property
    def prefix(self) -> str:
        return self.assignment_prefix

    def show(
        self, found: Survey, only: list[str] | None, records: dict[str, BatchRecord] | None = None
    ) -> None:
        """The intake table on the console: before grading (a dry run) or after it, with totals."""
        from grader.commands.intake_table import show_intake
        from grader.workbook.catalog import load_catalog

        exercises = [e for e in load_catalog() if not only or e.id in only]
        totals = None
        if records is not None:
            totals = {s: _total(r) for s, r in records.items()}
        show_intake(found, exercises, totals)

    def before_run(self, found: Survey, out: Path, resume: bool, check: CheckSettings) -> bool:
        """--student: forget those students' results and keep the others' (a resumed run);
        --resume: say how many results are stale. Returns whether the run resumes."""
        from grader.commands.regrade import forget, select, stale

        if self.students:
            chosen, unknown = select(found.entries, self.students)
            if unknown:
                raise InputError(
                    f"--student: {', '.join(unknown)} in {len(found.entries)} students"
                )
            forget(out, chosen)
            names = ", ".join(terminal(e.student, keep_newlines=False) for e in chosen)
            click.echo(
                f"regrading {len(chosen)} student(s): {names}; the others kept from OUT "
                "(a changed or stale result of another is graded again too)",
                err=True,
            )
            resume = True
        if resume:
            old = stale(out, found.entries, check.resume_mark())
            click.echo(
                f"--resume: {len(old)} result(s) made with other checks, another workbook.toml, "
                "grader version or key: graded again",
                err=True,
            )
        return resume

    def adjust(
        self, out: Path
    ) -> Callable[[dict[str, BatchRecord]], dict[str, BatchRecord]] | None:
        """The overrides and late policy read now (a bad file stops before grading), as a
        function of the records; None when there are neither. Each is kept in OUT/term/, and a
        later run on the same OUT without the option applies the kept one (a regrade of one
        student must not drop the class's penalties and overrides)."""
        late = _kept(self.late_policy, out / KEPT / "late_policy.toml", "--late-policy")
        changes = _kept(self.overrides, out / KEPT / "overrides.csv", "--overrides")
        if not (late or changes):
            return None
        from grader.workbook.adjustments import AdjustmentError, apply, read_overrides, read_policy

        try:
            overrides = read_overrides(changes) if changes else []
            policy = read_policy(late) if late else None
        except AdjustmentError as exc:
            raise InputError(str(exc)) from None
        if self.late_policy:  # read without error: kept for the runs after this one
            _keep(self.late_policy, out / KEPT / "late_policy.toml")
        if self.overrides:
            _keep(self.overrides, out / KEPT / "overrides.csv")

        def adjusted(records: dict[str, BatchRecord]) -> dict[str, BatchRecord]:
            from grader.workbook.files import atomic_write

            changed, summary = apply(records, overrides, policy)
            atomic_write(out / "adjustments.json", json.dumps(summary, indent=1) + "\n")
            for student, what in summary.items():
                if not student:
                    for line in what["unmatched_overrides"]:
                        click.echo(f"overrides: {terminal(line)} names no student", err=True)
                    continue
                click.echo(
                    f"adjusted {terminal(student)}: raw {what['raw_total']:g} -> "
                    f"{what['final_total']:g}",
                    err=True,
                )
            return changed

        return adjusted


KEPT = "term"  # OUT/term/: the late policy and overrides a run was given, for the runs after it


def _kept(given: Path | None, kept: Path, option: str) -> Path | None:
    """The file given, else the one an earlier run on this OUT kept (said on the console)."""
    if given or not kept.is_file():
        return given
    click.echo(
        f"{option}: applying {terminal(kept)}, kept by an earlier run on this OUT (give "
        f"{option} to replace it, or delete that file to grade without it)",
        err=True,
    )
    return kept


def _keep(given: Path, kept: Path) -> None:
    kept.parent.mkdir(parents=True, exist_ok=True)
    if given.resolve() != kept.resolve():
        partial = kept.with_name(f".{kept.name}.tmp")
        partial.write_bytes(given.read_bytes())
        partial.replace(kept)


def _total(record: BatchRecord) -> str:
    shown = f"{record.result.total:g}/{record.result.max_total:g}"
    adjusted = record.entry.get("adjusted")
    if adjusted and adjusted["final_total"] != adjusted["raw_total"]:
        shown += f" (graded {adjusted['raw_total']:g}, final {adjusted['final_total']:g})"
    return shown


_OPTIONS = (
    click.option(
        "--dry-run",
        is_flag=True,
        help="Show every student, the file graded per exercise and every note; grade nothing.",
    ),
    click.option(
        "--student",
        "students",
        multiple=True,
        metavar="ID",
        help="Regrade only this student (repeatable; site id, name or key); keep the rest.",
    ),
    click.option(
        "--assignment-prefix",
        default="",
        metavar="TEXT",
        help="The assignment part of GitHub Classroom's or Blackboard's entry names "
        "(default: found as common to the batch).",
    ),
    LATE_POLICY,
    OVERRIDES,
)


def term_options(command: Callable) -> Callable:
    """`grader grade`'s options for a term's work, in this order on --help; they reach
    `run_grade` together as `term` (see Term)."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command

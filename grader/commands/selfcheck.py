"""The author's check, run in CI: every stub in exercises/ is a learner's starting point (the
reference's names and signatures, bodies raising NotImplementedError, docstrings), every reference
earns full points, every stub earns zero as "not attempted", and workbook.toml's points add up."""

from __future__ import annotations

from grader.checking.runner import run_checks
from grader.workbook.catalog import load_catalog
from grader.workbook.paths import EXERCISES_DIR, SOLUTIONS_DIR
from grader.workbook.results import Status
from grader.workbook.stubs import stub_problems


def selfcheck() -> list[str]:
    """The problems found; an empty list means the workbook is consistent."""
    problems = []
    for exercise in load_catalog():
        stub, reference = EXERCISES_DIR / exercise.filename, SOLUTIONS_DIR / exercise.filename
        for path in (stub, reference):
            if not path.is_file():
                problems.append(f"{exercise.id}: {path} is missing")
        if stub.is_file() and reference.is_file():
            problems += [f"{exercise.id}: {p}" for p in stub_problems(stub, reference)]
    solved = run_checks(submission=SOLUTIONS_DIR)
    stubs = run_checks(submission=EXERCISES_DIR)
    for exercise in load_catalog():
        reference, stub = solved.exercises[exercise.id], stubs.exercises[exercise.id]
        check_points = sum(c.max_score for c in reference.checks)
        if check_points != exercise.points:
            problems.append(
                f"{exercise.id}: its checks are worth {check_points:g} points, "
                f"workbook.toml says {exercise.points}"
            )
        for check in reference.checks:
            if not check.passed:
                problems.append(f"{exercise.id}: the reference fails {check.name}: {check.message}")
        for check in stub.checks:
            if check.status is not Status.NOT_ATTEMPTED or check.score:
                problems.append(
                    f"{exercise.id}: the stub gets {check.status.label} on {check.name}, "
                    "expected not attempted"
                )
        if not reference.checks:
            problems.append(f"{exercise.id}: no checks ran")
    return problems


def run_selfcheck() -> int:
    """`grader selfcheck`: prints each problem; the exit code is 1 if there is any."""
    import click

    from grader.reports.escape import terminal
    from grader.workbook.paths import is_handout

    if is_handout():
        click.echo("selfcheck is the authors' check of the references: a handout has none")
        return 2
    problems = selfcheck()
    for problem in problems:
        click.echo(f"PROBLEM: {terminal(problem)}")
    click.echo(
        "selfcheck: "
        + (
            "OK: every reference passes, every stub is not attempted"
            if not problems
            else f"{len(problems)} problem(s)"
        )
    )
    return 1 if problems else 0

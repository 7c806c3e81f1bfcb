"""The author's check, run in CI and after every change to an exercise (docs/authoring.md): each
exercise of workbook.toml has its folder, checks, stub, reference and corpus; every stub is a
learner's starting point (the reference's names and signatures, bodies raising
NotImplementedError, docstrings); every reference earns full points and every stub zero as "not
attempted"; and workbook.toml's points are what the checks add up to."""

from __future__ import annotations

from grader.checking.runner import RunnerError, run_checks
from grader.workbook.catalog import Exercise, load_catalog
from grader.workbook.exercise_folder import CORPUS, folder_problems
from grader.workbook.paths import EXERCISES_DIR, SOLUTIONS_DIR
from grader.workbook.results import Status
from grader.workbook.stubs import stub_problems


def _file_problems(exercise: Exercise) -> list[str]:
    """What is missing of the exercise's files outside checks/, and its stub's problems."""
    stub, reference = EXERCISES_DIR / exercise.filename, SOLUTIONS_DIR / exercise.filename
    problems = [
        f"{exercise.id}: {path} is missing ({what})"
        for path, what in ((stub, "the learner's stub"), (reference, "the reference solution"))
        if not path.is_file()
    ]
    if stub.is_file() and reference.is_file():
        problems += [f"{exercise.id}: {p}" for p in stub_problems(stub, reference)]
    if exercise.folder.is_dir() and not (exercise.folder / CORPUS).is_file():
        problems.append(
            f"{exercise.id}: checks/{exercise.folder.name}/{CORPUS} is missing (the learners' "
            "likely mistakes, each a check must fail and name)"
        )
    return problems


def _check_problems(exercises: list[Exercise]) -> list[str]:
    """Run the exercises' checks on the references and on the stubs: what does not add up."""
    try:
        solved = run_checks(submission=SOLUTIONS_DIR, exercises=exercises)
        stubs = run_checks(submission=EXERCISES_DIR, exercises=exercises)
    except RunnerError as exc:
        return [f"{', '.join(e.id for e in exercises)}: {exc}"]
    problems = []
    for exercise in exercises:
        reference, stub = solved.exercises[exercise.id], stubs.exercises[exercise.id]
        if not reference.checks:
            problems.append(f"{exercise.id}: no checks ran (a check is a test_* function)")
            continue
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
    return problems


def selfcheck(exercises: list[Exercise] | None = None) -> list[str]:
    """The problems found in `exercises` (default: all; the folders are always looked over as a
    whole); an empty list means the workbook is consistent."""
    chosen = list(exercises or load_catalog())
    problems = folder_problems()
    runnable = []
    for exercise in chosen:
        problems += _file_problems(exercise)
        if exercise.check_files and (SOLUTIONS_DIR / exercise.filename).is_file():
            runnable.append(exercise)
    return problems + (_check_problems(runnable) if runnable else [])


def next_steps(ids: tuple[str, ...], problems: list[str]) -> list[str]:
    """What an author runs next: the fix and selfcheck again, or the tests that read the corpus."""
    again = " ".join(("grader selfcheck", *ids))
    if problems:
        return [
            "fix the problems above (docs/authoring.md says where each thing goes), then run "
            f"`{again}` again",
            "`grader check ID --submission solutions` shows one exercise's checks in full",
        ]
    chosen = f" -k '{' or '.join(ids)}'" if ids else ""
    return [
        f"`pytest tests/test_corpus.py{chosen}`: each corpus entry fails its check and is named, "
        "each correct variant earns full points",
        "`pytest tests/test_catalog.py tests/test_handout.py`: the catalog, and a learner's "
        "handout without the answers",
    ]


def run_selfcheck(ids: tuple[str, ...] = ()) -> int:
    """`grader selfcheck [IDS]`: prints each problem, then what to run next; the exit code is 1
    if there is any problem."""
    import click

    from grader.reports.escape import terminal
    from grader.workbook.catalog import exercise_by_id
    from grader.workbook.paths import is_handout

    if is_handout():
        click.echo("selfcheck is the authors' check of the references: a handout has none")
        return 2
    try:
        exercises = [exercise_by_id(i) for i in ids] or list(load_catalog())
    except KeyError as exc:
        raise click.UsageError(str(exc.args[0])) from None
    problems = selfcheck(exercises)
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
    for step in next_steps(ids, problems):
        click.echo(f"next: {terminal(step)}")
    return 1 if problems else 0

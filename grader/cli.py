"""`grader`: the learner's command line. Each command is a few lines over the core functions."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click

from grader import state
from grader.catalog import exercise_by_id, load_catalog
from grader.escape import terminal
from grader.paths import EXERCISES_DIR
from grader.worker_client import shared_pool

# torch, pytest and the runner are imported inside the commands, after a worker has
# been started: the two imports of torch then overlap on two cores.

SUBMISSION = click.option("--submission", "submission", type=click.Path(path_type=Path),
                          default=EXERCISES_DIR, show_default="./exercises",
                          help="Folder (or .zip of one) holding the NN_<id>.py files.")
LIMIT = click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE",
                     help="Override a worker limit from workbook.toml (memory=2GiB, cpu=60, ...).")


def _exercises(ids: tuple[str, ...]):
    try:
        return [exercise_by_id(i) for i in ids] if ids else list(load_catalog())
    except KeyError as exc:
        raise click.UsageError(exc.args[0]) from None


def _grade(submission: Path, exercises, junit: Path | None = None, limits: tuple[str, ...] = (),
           check_timeout: float | None = None):
    if submission.suffix.lower() == ".zip" and submission.is_file():
        with tempfile.TemporaryDirectory(prefix="grader-zip-") as folder:
            from grader.archive import ArchiveError, unpack

            try:
                for note in unpack(submission, Path(folder)):
                    click.echo(f"note: {terminal(note)}", err=True)
            except ArchiveError as exc:
                raise click.UsageError(str(exc)) from None
            return _grade_folder(Path(folder), exercises, junit, limits, check_timeout, remember=False)
    if not submission.is_dir():
        raise click.UsageError(f"submission folder {submission} does not exist")
    return _grade_folder(submission, exercises, junit, limits, check_timeout, remember=True)


def _grade_folder(submission: Path, exercises, junit: Path | None, limits: tuple[str, ...],
                  check_timeout: float | None, remember: bool):
    from grader.catalog import configured_limits
    from grader.layout import find_exercise_file

    try:
        shared_pool().set_limits(configured_limits(limits))
    except ValueError as exc:
        raise click.UsageError(f"--limit: {exc}") from None
    attempted = [e for e in exercises if find_exercise_file(submission, e)]
    if attempted:
        shared_pool().prestart(attempted[0].warm_up)
    from grader.runner import RunnerError, run_checks

    try:
        result = run_checks(submission=submission, exercises=exercises, junit_xml=junit,
                            pytest_args=[f"--limit={limit}" for limit in limits]
                            + ([f"--check-timeout={check_timeout}"] if check_timeout else []))
    except RunnerError as exc:
        raise click.ClickException(terminal(exc)) from None
    for exercise in exercises if remember else ():
        path = find_exercise_file(submission, exercise)
        if path is not None:
            state.remember_result(path, result.exercises[exercise.id].to_json())
    from grader.worker_client import sandbox_notes

    for note in sandbox_notes():
        click.echo(f"grader: this host's sandbox is weaker: {note}", err=True)
    return result


@click.group()
@click.version_option(package_name="cnn-workbook")
def main() -> None:
    """The CNN workbook: eight exercises on convolutional networks, checked as you go."""


@main.command("list")
@SUBMISSION
def list_command(submission: Path) -> None:
    """The exercises in order, with their status and points."""
    from grader.layout import find_exercise_file

    exercises = list(load_catalog())
    stale = [e for e in exercises if (p := find_exercise_file(submission, e)) and state.cached_result(p) is None]
    if stale:
        click.echo(f"checking {len(stale)} changed exercise(s)...", err=True)
        _grade(submission, stale)
    for exercise in exercises:
        path = find_exercise_file(submission, exercise)
        cached = state.cached_result(path) if path else None
        status = cached["status"] if cached else "not attempted"
        score = f"{cached['score']:g}" if cached else "0"
        click.echo(f"{exercise.number:02d}  {exercise.id:<18} {status:<14} {score:>3}/{exercise.points:<3} "
                   f"{exercise.title}")


@main.command()
@click.argument("ids", nargs=-1)
@SUBMISSION
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--junit", type=click.Path(path_type=Path, dir_okay=False), help="Also write JUnit XML here.")
@click.option("-v", "--verbose", is_flag=True, help="List every check, even of exercises not attempted.")
@LIMIT
@click.option("--check-timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Time limit for each call into your code (default: the exercise's, from workbook.toml).")
def check(ids: tuple[str, ...], submission: Path, as_json: bool, junit: Path | None, verbose: bool,
          limits: tuple[str, ...], check_timeout: float | None) -> None:
    """Run the checks of exercises IDS (default: all) on your submission."""
    exercises = _exercises(ids)
    result = _grade(submission, exercises, junit, limits, check_timeout)
    from grader.report import format_exercise, format_summary

    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        color = sys.stdout.isatty()
        for exercise in exercises:
            click.echo(format_exercise(exercise, result.exercises[exercise.id], color, verbose) + "\n")
        click.echo(format_summary(result))
    sys.exit(0 if result.all_passed else 1)


@main.command()
@click.argument("exercise_id")
@click.option("--level", type=click.IntRange(min=1), help="Show this level (default: the next one).")
def hint(exercise_id: str, level: int | None) -> None:
    """Hints for one exercise, one level at a time: each call shows the next."""
    exercise = _exercises((exercise_id,))[0]
    available = len(exercise.hints)
    if level is not None and level > available:
        raise click.UsageError(f"{exercise.id} has {available} hint levels")
    level = level or state.next_hint_level(exercise.id, available)
    click.echo(f"{exercise.id}, hint {level} of {available} (tutorial: {exercise.section}):\n")
    click.echo(exercise.hints[level - 1])
    if level < available:
        click.echo(f"\nStill stuck? `grader hint {exercise.id}` again shows hint {level + 1}.")


@main.command()
@click.argument("exercise_id", required=False)
@SUBMISSION
@click.option("--poll", is_flag=True, help="Poll for changes instead of using file-system events.")
def watch(exercise_id: str | None, submission: Path, poll: bool) -> None:
    """Re-check the exercise you are editing each time you save (default: the one you last saved)."""
    from grader.report import format_exercise
    from grader.watch import run_watch

    if not submission.is_dir():
        raise click.UsageError(f"submission folder {submission} does not exist")
    pinned = _exercises((exercise_id,))[0] if exercise_id else None
    latest: dict[str, bool] = {}

    def check(exercise):
        from grader.runner import RunnerError

        try:
            result = _grade(submission, [exercise]).exercises[exercise.id]
        except (RunnerError, click.ClickException) as exc:
            if "exit code 2" in str(exc):  # pytest was interrupted: Ctrl-C
                raise KeyboardInterrupt from None
            raise
        latest[exercise.id] = result.status == "passing"
        return result

    def passing(exercise) -> bool:
        if exercise.id in latest:
            return latest[exercise.id]
        from grader.layout import find_exercise_file

        path = find_exercise_file(submission, exercise)
        cached = state.cached_result(path) if path else None
        return bool(cached and cached["status"] == "passing")

    def show(exercise, result, seconds: float) -> str:
        import time

        return (format_exercise(exercise, result, sys.stdout.isatty(), False)
                + f"\n\nchecked in {seconds:.2f} s, at {time.strftime('%H:%M:%S')}")

    run_watch(submission=submission, pinned=pinned, poll=poll, check=check, passing=passing, show=show,
              echo=lambda text: click.echo(text))


@main.command()
@click.argument("batch", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder for grades.csv, grades.json, feedback/ and report.html.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Submissions graded at once (default: the number of cores).")
@click.option("--resume", is_flag=True, help="Keep the results already in OUT; grade only what is missing.")
@click.option("--only", "only", multiple=True, help="Grade only these exercises (repeatable).")
@click.option("--junit", type=click.Path(path_type=Path, dir_okay=False), help="Also write JUnit XML here.")
@LIMIT
def grade(batch: Path, out: Path, workers: int | None, resume: bool, only: tuple[str, ...],
          junit: Path | None, limits: tuple[str, ...]) -> None:
    """Grade every submission (folder or .zip) in BATCH into OUT."""
    import os

    from grader.grading_run import run_batch

    only_ids = [e.id for e in _exercises(only)] if only else None
    run_batch(batch=batch, out=out, workers=workers or os.cpu_count() or 1, resume=resume, only=only_ids,
              junit=junit, extra_args=[f"--limit={limit}" for limit in limits])


@main.group()
def export() -> None:
    """Package the grader for another platform."""


@export.command("gradescope")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
def export_gradescope(out: Path) -> None:
    """Write Gradescope's autograder bundle (setup.sh, run_autograder, the grader) to OUT (.zip)."""
    from grader.gradescope import build_bundle

    names = build_bundle(out)
    click.echo(f"wrote {out} ({len(names)} files): upload it as a Gradescope \"zip file upload\" autograder")


@main.command("selfcheck")
def selfcheck_command() -> None:
    """Check the workbook itself: references earn full points, stubs earn zero as not attempted."""
    from grader.selfcheck import selfcheck

    problems = selfcheck()
    for problem in problems:
        click.echo(f"PROBLEM: {terminal(problem)}")
    click.echo("selfcheck: " + ("OK: every reference passes, every stub is not attempted"
                                if not problems else f"{len(problems)} problem(s)"))
    sys.exit(1 if problems else 0)


def entry() -> None:
    """The `grader` program. Once a command has written everything and its workers are gone, it
    ends at once: the interpreter's own teardown of torch's modules costs about 0.3 s, a fifth of
    a whole `grader check edge_filter`."""
    import os

    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if "torch" not in sys.modules:
        sys.exit(code)
    shared_pool().shutdown()
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)

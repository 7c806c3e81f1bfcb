"""`grader check` and `grader list`: grade the learner's submission (a folder or a .zip) in this
process, show the results, and remember them for `grader list`."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click

from grader.commands.check_start import import_for_checks, no_plugin_autoload, plugin_arguments
from grader.reports.escape import terminal
from grader.supervisor.kept_zygote import kept_zygote_enabled
from grader.supervisor.pool import shared_pool
from grader.workbook import state
from grader.workbook.catalog import Exercise, exercise_by_id, load_catalog
from grader.workbook.files import atomic_write, find_exercise_file
from grader.workbook.paths import EXERCISES_DIR
from grader.workbook.results import SubmissionResult

# torch, pytest and the runner are imported inside the functions, after a worker has been
# started: the two imports of torch then overlap on two cores.


def chosen_exercises(ids: tuple[str, ...]) -> list[Exercise]:
    """The exercises named by `ids` (default: all), or a usage error naming the unknown one."""
    try:
        return [exercise_by_id(i) for i in ids] if ids else list(load_catalog())
    except KeyError as exc:
        raise click.UsageError(exc.args[0]) from None


def grade_submission(
    submission: Path,
    exercises: list[Exercise],
    junit: Path | None = None,
    limits: tuple[str, ...] = (),
    check_timeout: float | None = None,
) -> SubmissionResult:
    """Grade a folder or an archive of one, choosing files as `grader grade` does (intake); a
    folder graded in place has its results remembered for `grader list`."""
    if not submission.is_dir() and not submission.is_file():
        raise click.UsageError(f"submission folder {submission} does not exist")
    from grader.workbook.intake import take_in

    intake = take_in([(submission, submission.name)], exercises)
    if submission.is_file() and not intake.chosen and intake.problems:
        raise click.UsageError(terminal("; ".join(intake.problems)))
    if intake.note:
        click.echo(f"note: {terminal(intake.note)}", err=True)
    if submission.is_dir() and all(
        f.path == exercise_by_id(i).filename for i, f in intake.chosen.items()
    ):
        return _grade_folder(submission, exercises, junit, limits, check_timeout, remember=True)
    with tempfile.TemporaryDirectory(prefix="grader-submission-") as folder:
        intake.stage(Path(folder), exercises)
        return _grade_folder(Path(folder), exercises, junit, limits, check_timeout, remember=False)


def _grade_folder(
    submission: Path,
    exercises: list[Exercise],
    junit: Path | None,
    limits: tuple[str, ...],
    check_timeout: float | None,
    remember: bool,
) -> SubmissionResult:
    from grader.workbook.run_settings import CheckSettings

    try:
        settings = CheckSettings.from_options(limits, check_timeout=check_timeout or None)
    except ValueError as exc:
        raise click.UsageError(f"--limit: {exc}") from None
    shared_pool().set_limits(settings.limits)
    attempted = [e for e in exercises if find_exercise_file(submission, e)]
    if attempted:
        from grader.checking.drawn_once import warm_up

        shared_pool().prestart(warm_up(attempted[0], None))  # a public run: no key
    import_for_checks()
    from grader.checking.runner import RunnerError, run_checks

    try:
        with no_plugin_autoload():
            result = run_checks(
                submission=submission,
                exercises=exercises,
                settings=settings,
                pytest_args=plugin_arguments(),
            )
    except RunnerError as exc:
        raise click.ClickException(terminal(exc)) from None
    if junit is not None:
        from grader.reports.junit import junit_xml

        atomic_write(junit, junit_xml({submission.name or "submission": result}))
    # only the learner's own exercises/ unlock a reference: not a friend's folder or a zip
    own = submission.resolve() == EXERCISES_DIR.resolve()
    for exercise in exercises if remember else ():
        path = find_exercise_file(submission, exercise)
        if path is not None:
            graded = result.exercises[exercise.id]
            remembered = graded.to_json()
            for check in remembered["checks"]:  # `grader list` needs no pictures
                check.pop("figures", None)
            state.remember_result(path, remembered)
            if graded.score >= graded.max_score and own:  # `grader solution` shows it now
                state.mark("passed", exercise.id)
    from grader.supervisor.environment import sandbox_notes

    for note in sandbox_notes():
        click.echo(f"grader: this host's sandbox is weaker: {note}", err=True)
    return result


def html_target(ids: tuple[str, ...], html: str | None) -> tuple[tuple[str, ...], Path | None]:
    """The exercise ids and the page of `--html [PATH]`: a value that does not end in .html is
    the first exercise id (`grader check --html ID`), and the page goes where the
    grader keeps its state (.grader/check.html, or beside $CNN_GRADER_STATE)."""
    if html is None:
        return ids, None
    if html and not html.lower().endswith((".html", ".htm")):
        try:
            exercise_by_id(html)
        except KeyError:
            raise click.UsageError(
                f"--html {html!r}: the page's name must end in .html (or give no name)"
            ) from None
        ids, html = (html, *ids), ""
    return ids, Path(html) if html else state.folder() / "check.html"


def run_check(
    ids: tuple[str, ...],
    submission: Path,
    as_json: bool,
    junit: Path | None,
    verbose: bool,
    limits: tuple[str, ...],
    check_timeout: float | None,
    html: Path | None = None,
    keep: bool = True,
) -> int:
    """`grader check`: the exit code is 0 when every check passed; with `html`, the page too.
    `keep`: fork the workers from the zygote kept between checks (`supervisor/kept_zygote.py`)."""
    exercises = chosen_exercises(ids)
    shared_pool().keep_zygote = keep and kept_zygote_enabled()
    result = grade_submission(submission, exercises, junit, limits, check_timeout)
    from grader.reports.terminal import format_exercise, format_summary

    if as_json:
        from grader.reports.causes import exercise_json

        data = result.to_json()  # each exercise's causes said once, with the checks they cost
        data["exercises"] = {i: exercise_json(e) for i, e in result.exercises.items()}
        click.echo(json.dumps(data, indent=2))
    else:
        color = sys.stdout.isatty()
        for exercise in exercises:
            click.echo(
                format_exercise(exercise, result.exercises[exercise.id], color, verbose) + "\n"
            )
        click.echo(format_summary(result))
    if html is not None:
        from grader.reports.check_html import check_page

        atomic_write(html, check_page(result, exercises, str(submission.resolve())))
        # the path last, for a learner to open (stderr under --json: stdout stays JSON)
        click.echo(f"The results with pictures: {html.resolve()}", err=as_json)
    return 0 if result.all_passed else 1


def run_list(submission: Path) -> None:
    """`grader list`: re-checks the exercises whose files changed since their last check."""
    exercises = list(load_catalog())
    stale = [
        e
        for e in exercises
        if (p := find_exercise_file(submission, e)) and state.cached_result(p) is None
    ]
    if stale:
        names = ", ".join(e.filename for e in stale)
        click.echo(f"checking {names} (changed since the last check) ...", err=True)
        grade_submission(submission, stale)
    gave_up = state.marked("gave_up")
    for exercise in exercises:
        path = find_exercise_file(submission, exercise)
        cached = state.cached_result(path) if path else None
        status = cached["status"] if cached else "not attempted"
        score = f"{cached['score']:g}" if cached else "0"
        seen = "  (solution seen: --give-up)" if exercise.id in gave_up else ""
        click.echo(
            f"{exercise.number:02d}  {exercise.id:<18} {status:<14} "
            f"{score:>3}/{exercise.points:<3} {exercise.title}{seen}"
        )

"""`grader`: the command line. Declarations only: each command is a few lines into
`grader.commands`, which imports torch and pytest late, after a worker has started."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.commands.merge_cli import merge_command, shard_argument
from grader.commands.options import JUNIT, REVIEW, SIMILARITY_THRESHOLD
from grader.commands.term import term_options
from grader.exports.cli import export
from grader.workbook.paths import EXERCISES_DIR
from grader.workbook.shards import Shard

SUBMISSION = click.option(
    "--submission",
    "submission",
    type=click.Path(path_type=Path),
    default=EXERCISES_DIR,
    show_default="./exercises",
    help="Folder (or .zip of one) holding the NN_<id>.py files.",
)
LIMIT = click.option(
    "--limit",
    "limits",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a worker limit from workbook.toml (memory=2GiB, cpu=60, ...).",
)


@click.group()
@click.version_option(package_name="cnn-workbook")
def main() -> None:
    """The CNN workbook: exercises on convolutional networks, checked as you go."""


@main.command("list")
@SUBMISSION
def list_command(submission: Path) -> None:
    """The exercises in order, with their status and points."""
    from grader.commands.check import run_list

    run_list(submission)


@main.command("check")
@click.argument("ids", nargs=-1)
@SUBMISSION
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@JUNIT
@click.option(
    "-v", "--verbose", is_flag=True, help="List every check, even of exercises not attempted."
)
@LIMIT
@click.option(
    "--check-timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Time limit for each call into your code (default: the exercise's, from workbook.toml).",
)
@click.option(
    "--html",
    "html",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[PATH.html]",
    help="Also write the results with pictures (heat maps, digits) as one HTML page "
    "(default: check.html beside the grader's state, .grader/).",
)
@click.option(
    "--no-keep",
    is_flag=True,
    help="Start a zygote for this check alone, not the one kept for the next checks.",
)
def check_command(
    ids: tuple[str, ...],
    submission: Path,
    as_json: bool,
    junit: Path | None,
    verbose: bool,
    limits: tuple[str, ...],
    check_timeout: float | None,
    html: str | None,
    no_keep: bool,
) -> None:
    """Run the checks of exercises IDS (default: all) on your submission."""
    from grader.commands.check import html_target, run_check

    ids, page = html_target(ids, html)
    code = run_check(
        ids, submission, as_json, junit, verbose, limits, check_timeout, page, not no_keep
    )
    sys.exit(code)


@main.command("hint")
@click.argument("exercise_id")
@click.option(
    "--level", type=click.IntRange(min=1), help="Show this level (default: the next one)."
)
def hint_command(exercise_id: str, level: int | None) -> None:
    """Hints for one exercise, one level at a time: each call shows the next."""
    from grader.commands.hint import run_hint

    run_hint(exercise_id, level)


@main.command("solution")
@click.argument("exercise_id")
@click.option(
    "--give-up",
    is_flag=True,
    help="Show it before the exercise passes (remembered; `grader list` shows it).",
)
def solution_command(exercise_id: str, give_up: bool) -> None:
    """Show exercise ID's reference solution, once the exercise passes (or with --give-up)."""
    from grader.commands.solution import run_solution

    sys.exit(run_solution(exercise_id, give_up))


@main.command("notebooks")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("notebooks"),
    show_default=True,
    help="Where to write them.",
)
@click.option(
    "--source",
    help="Where a notebook's set-up cell fetches the workbook (default: this copy's git remote).",
)
def notebooks_command(out: Path, source: str | None) -> None:
    """Write a Jupyter notebook per exercise, made from its stub (runs in Colab too)."""
    from grader.commands.notebooks import run_notebooks

    run_notebooks(out, source)


@main.command("watch")
@click.argument("exercise_id", required=False)
@SUBMISSION
@click.option("--poll", is_flag=True, help="Poll for changes instead of using file-system events.")
def watch_command(exercise_id: str | None, submission: Path, poll: bool) -> None:
    """Re-check the exercise you are editing each time you save (default: the one you last
    saved)."""
    from grader.commands.watch import run_watch_command

    run_watch_command(exercise_id, submission, poll)


@main.command("grade")
@click.argument("batch", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for grades.csv, grades.json, feedback/ and report.html.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Submissions graded at once (default: the number of cores).",
)
@click.option(
    "--resume", is_flag=True, help="Keep the results already in OUT; grade only what is missing."
)
@click.option(
    "--only",
    "only",
    multiple=True,
    help="Grade only these exercises (repeatable); their columns are added to (or "
    "replace theirs in) the gradebook already in OUT.",
)
@click.option(
    "--duplicates",
    type=click.Choice(["error", "newest", "oldest"]),
    default="error",
    show_default=True,
    help="When two entries map to one student: stop, or grade the newest or oldest.",
)
@click.option(
    "--key",
    metavar="HEX",
    help="The grading key the secret inputs are drawn from (default: $CNN_GRADING_KEY, else the "
    "one in OUT/grading.key, else a new one written there). Keep it to regrade identically.",
)
@JUNIT
@LIMIT
@REVIEW
@SIMILARITY_THRESHOLD
@click.option(
    "--shard",
    callback=shard_argument,
    metavar="K/N",
    help="Grade only shard K of N (students chosen by a hash of their key); join the N "
    "shards' OUTs with `grader merge` (see docs/scale.md).",
)
@term_options
def grade_command(
    batch: Path,
    out: Path,
    workers: int | None,
    resume: bool,
    only: tuple[str, ...],
    duplicates: str,
    key: str | None,
    junit: Path | None,
    limits: tuple[str, ...],
    review: bool,
    similarity_threshold: float | None,
    shard: Shard | None,
    **term: object,
) -> None:
    """Grade every submission (folder, .zip, .tar, .tar.gz or .tgz) in BATCH into OUT."""
    from grader.commands.grade import run_grade

    run_grade(
        batch,
        out,
        workers,
        resume,
        only,
        duplicates,
        junit,
        limits,
        key,
        review,
        similarity_threshold,
        term,
        shard,
    )


@main.command("intake")
@click.argument("batch", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--assignment-prefix", default="", metavar="TEXT")
@click.option("--only", "only", multiple=True, help="Show only these exercises (repeatable).")
def intake_command(batch: Path, assignment_prefix: str, only: tuple[str, ...]) -> None:
    """Show who is in BATCH and which file would be graded per exercise; grade nothing."""
    from grader.commands.intake_table import run_intake

    run_intake(batch, assignment_prefix, only)


main.add_command(export)
main.add_command(merge_command)


@main.command("selfcheck")
@click.argument("ids", nargs=-1)
def selfcheck_command(ids: tuple[str, ...]) -> None:
    """Check the workbook itself (or exercises IDS): every exercise has its folder, checks, stub,
    reference and corpus; references earn full points, stubs zero as not attempted; then what to
    run next (see docs/authoring.md)."""
    from grader.commands.selfcheck import run_selfcheck

    sys.exit(run_selfcheck(ids))


def entry() -> None:
    """The `grader` program. Once a command has written everything and its workers are gone, it
    ends at once, without the interpreter's own teardown of torch's modules."""
    import os

    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if "torch" not in sys.modules:
        sys.exit(code)
    from grader.supervisor.pool import shared_pool

    shared_pool().shutdown()
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)

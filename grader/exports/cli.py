"""`grader export ...`: the gradebook and the grader packaged for other platforms. Declarations
only, as in grader/cli.py; each command is a few lines into `grader.commands`."""

from __future__ import annotations

from pathlib import Path

import click

from grader.workbook.course import course_title
from grader.workbook.paths import EXERCISES_DIR


@click.group()
def export() -> None:
    """Grades for a course site (Canvas, Moodle, Blackboard); the grader for another platform."""


@export.command("gradescope")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--key", metavar="HEX", help="The grading key to bundle (default: a new one).")
def export_gradescope(out: Path, key: str | None) -> None:
    """Write Gradescope's autograder bundle (setup.sh, run_autograder, the grader) to OUT (.zip)."""
    from grader.exports.gradescope.autograder import run_export

    run_export(out, key)


def _lms_export(site: str, name: str) -> None:
    """`grader export SITE`: the same options for each course site."""

    @export.command(
        site,
        help=f"Write OUT_FILE for {name}'s grade import: the gradebook "
        "joined with the roster the site exported.",
    )
    @click.argument("out_file", type=click.Path(path_type=Path, dir_okay=False))
    @click.option(
        "--gradebook",
        type=click.Path(path_type=Path, exists=True),
        required=True,
        help="The folder `grader grade --out` wrote (or its grades.json).",
    )
    @click.option(
        "--roster",
        type=click.Path(path_type=Path, exists=True, dir_okay=False),
        required=True,
        help=f"{name}'s own gradebook or roster export (CSV).",
    )
    @click.option(
        "--title",
        default=course_title,
        show_default="[course] title in workbook.toml",
        help="The assignment's title on the site (an existing column is found by it).",
    )
    @click.option(
        "--points",
        type=click.FloatRange(min=0, min_open=True),
        help="Scale totals to this many points (default: the existing column's, "
        "Moodle 100, else the workbook's).",
    )
    @click.option(
        "--missing",
        type=click.Choice(["blank", "zero"]),
        default="blank",
        show_default=True,
        help="The grade of a roster student with no submission.",
    )
    def command(
        out_file: Path,
        gradebook: Path,
        roster: Path,
        title: str,
        points: float | None,
        missing: str,
    ) -> None:
        from grader.exports.lms.command import run_lms_export

        run_lms_export(site, out_file, gradebook, roster, title, points, missing)


for _site, _name in (("canvas", "Canvas"), ("moodle", "Moodle"), ("blackboard", "Blackboard")):
    _lms_export(_site, _name)


@export.command("github-classroom")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--python", "python", default="3.11", show_default=True, help="Python on the runner.")
@click.option(
    "--timeout",
    type=click.IntRange(min=5),
    default=30,
    show_default=True,
    help="The job's time limit, minutes.",
)
@click.option(
    "--exercises",
    default="exercises",
    show_default=True,
    help="The folder of the student's repository that is graded.",
)
@click.option(
    "--grader-repo",
    default="",
    metavar="OWNER/NAME[@REF]",
    help="Check the grader out from this repository (default: the student's own).",
)
def export_github_classroom(
    folder: Path, python: str, timeout: int, exercises: str, grader_repo: str
) -> None:
    """Write FOLDER/.github/workflows/classroom.yml: GitHub Classroom grades every push."""
    from grader.exports.classroom.workflow import run_export

    run_export(folder, python, timeout, exercises, grader_repo)


@export.command("student")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--stubs",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=EXERCISES_DIR,
    show_default="exercises/",
    help="The stubs to hand out (each is verified to be one).",
)
@click.option(
    "--github-classroom",
    "classroom",
    is_flag=True,
    help="Also write the Classroom workflow: the handout is then the template repository.",
)
def export_student(folder: Path, stubs: Path, classroom: bool) -> None:
    """Write FOLDER: what learners get, with no solutions, oracles or grading key (the checks
    use expected values recorded for their public inputs)."""
    from grader.exports.handout import run_export_student

    run_export_student(folder, stubs, classroom)

"""`grader merge` and `grader grade --shard`: declarations only, as in grader/cli.py; the work is
in grader.commands.merge and grader.commands.shard."""

from __future__ import annotations

from pathlib import Path

import click

from grader.workbook.shards import parse_shard


def shard_argument(context: click.Context, parameter: click.Parameter, value: str | None):
    """--shard K/N parsed, or a usage error saying what is wrong."""
    if value is None:
        return None
    try:
        return parse_shard(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("merge")
@click.argument(
    "shards",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for the class's grades.csv, grades.json, feedback/, review and report.html.",
)
@click.option(
    "--junit", type=click.Path(path_type=Path, dir_okay=False), help="Also write JUnit XML here."
)
@click.option("--review/--no-review", default=True, help="Write OUT/review.json (default: on).")
@click.option(
    "--similarity-threshold",
    type=click.FloatRange(0, 1),
    default=None,
    metavar="X",
    help="List pairs whose most alike exercise file scores X or more (default 0.5).",
)
@click.option(
    "--late-policy",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A TOML file: deadline, penalty_per_day or _per_hour, cap, [extensions].",
)
@click.option(
    "--overrides",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A CSV file: student,exercise,points,reason (empty points: a comment).",
)
def merge_command(
    shards: tuple[Path, ...],
    out: Path,
    junit: Path | None,
    review: bool,
    similarity_threshold: float | None,
    late_policy: Path | None,
    overrides: Path | None,
) -> None:
    """Join the OUTs of `grader grade --shard K/N` (all N of them) into OUT, as one run would
    have written it; refuse shards of other batches or keys, a missing, repeated or unfinished
    shard, and name any student no shard graded."""
    from grader.commands.merge import run_merge

    run_merge(shards, out, junit, review, similarity_threshold, late_policy, overrides)

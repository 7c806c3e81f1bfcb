"""`grader merge` and `grader grade --shard`: declarations only, as in grader/cli.py; the work is
in grader.commands.merge and grader.commands.shard."""

from __future__ import annotations

from pathlib import Path

import click

from grader.commands.options import JUNIT, LATE_POLICY, OVERRIDES, REVIEW, SIMILARITY_THRESHOLD
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
@JUNIT
@REVIEW
@SIMILARITY_THRESHOLD
@LATE_POLICY
@OVERRIDES
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

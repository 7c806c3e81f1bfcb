"""Command-line options that more than one command declares (`grade`, `merge`, `check`), written
once so that their names, types and help stay the same everywhere."""

from __future__ import annotations

from pathlib import Path

import click

JUNIT = click.option(
    "--junit", type=click.Path(path_type=Path, dir_okay=False), help="Also write JUnit XML here."
)
REVIEW = click.option(
    "--review/--no-review",
    default=True,
    help="Write OUT/review.json: integrity flags and similar pairs, for review (on by default; "
    "never changes a score).",
)
SIMILARITY_THRESHOLD = click.option(
    "--similarity-threshold",
    type=click.FloatRange(0, 1),
    default=None,
    metavar="X",
    help="List pairs whose most alike exercise file scores X or more (default 0.5).",
)
LATE_POLICY = click.option(
    "--late-policy",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A TOML file: deadline, penalty_per_day or _per_hour, cap, [extensions].",
)
OVERRIDES = click.option(
    "--overrides",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A CSV file: student,exercise,points,reason (empty points: a comment).",
)

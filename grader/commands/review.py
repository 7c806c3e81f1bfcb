"""The review after `grader grade`: integrity flags and similar pairs into OUT/review.json, and a
page per pair into OUT/similarity/ (pages of an earlier run are replaced, not left behind)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click

from grader.review.build import Review, build_review
from grader.workbook.catalog import load_catalog
from grader.workbook.files import atomic_write
from grader.workbook.intake import Entry
from grader.workbook.results import BatchRecord


def write_review(
    out: Path,
    entries: list[Entry],
    records: dict[str, BatchRecord],
    threshold: float,
) -> dict:
    """Build the class's review and write it; one line on the terminal says what was found.
    Every exercise file is reviewed, --only or not: the gradebook holds them all. Returns what
    review.json holds, for the report, which need not read it back."""
    return write_built(out, build_review(entries, records, list(load_catalog()), threshold))


def write_built(out: Path, review: Review) -> dict:
    """A review built (by one run, or joined from shards' parts) written into OUT."""
    threshold = review.data["similarity"]["threshold"]
    pages = out / "similarity"
    if pages.is_dir() and not pages.is_symlink():
        shutil.rmtree(pages)
    for name, text in review.pages.items():
        atomic_write(out / name, text)
    text = json.dumps(review.data, indent=1) + "\n"
    atomic_write(out / "review.json", text)
    flagged = len({f["student"] for f in review.data["flags"]})
    similar = review.data["similarity"]
    click.echo(
        f"wrote review.json: {len(review.data['flags'])} integrity flag(s) on {flagged} "
        f"student(s), for review; {similar['pairs_over_threshold']} pair(s) at or above "
        f"{threshold:g} similarity (similarity: {similar['seconds']:.1f} s)",
        err=True,
    )
    return json.loads(
        text
    )  # the values as the file holds them: the report reads the same either way

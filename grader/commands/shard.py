"""`grader grade BATCH --shard K/N --out OUT_K`: one part of the class graded, chosen by each
student's key (grader.workbook.shards). OUT_K records the whole batch's survey in shard.json
(unfinished until the run ends) and its students' parts of the review in shard-review.json;
`grader merge` joins the N shards' OUTs (grader.commands.merge)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click

from grader.commands.preflight import InputError
from grader.workbook.files import atomic_write
from grader.workbook.intake import Entry, digest
from grader.workbook.results import BatchRecord
from grader.workbook.run_mark import run_mark
from grader.workbook.run_settings import CheckSettings
from grader.workbook.shards import FORMAT, MANIFEST, REVIEW_PARTS, Shard, manifest

NEEDS_KEY = (
    "--shard needs the class's grading key, the same for every shard: give it with --key HEX or "
    "$CNN_GRADING_KEY (make one with: python -c 'import secrets; print(secrets.token_hex(32))')"
)
Finish = Callable[[dict[str, BatchRecord]], None]


def start_shard(
    shard: Shard,
    batch: Path,
    out: Path,
    entries: list[Entry],
    check: CheckSettings,
    only: list[str] | None,
    term: object,
) -> tuple[list[Entry], Finish]:
    """The entries of `shard`, after OUT/shard.json records the whole batch as not finished; and
    the function that, given the shard's records, writes its review parts and marks it finished."""
    if getattr(term, "late_policy", None) or getattr(term, "overrides", None):
        raise InputError(
            "--late-policy and --overrides apply to the whole class: give them to "
            "`grader merge`, not to a shard"
        )
    key_mark, made = check.resume_mark(), run_mark()
    marked = [(e, digest(e) + key_mark + made) for e in entries]
    record = manifest(shard, batch.resolve(), marked, key_mark, made, only)
    for stale in (out / MANIFEST, out / REVIEW_PARTS):  # an earlier run's: not this one's
        stale.unlink(missing_ok=True)
    atomic_write(out / MANIFEST, json.dumps(record, indent=1) + "\n")
    mine = [e for e in entries if shard.holds(e)]
    click.echo(
        f"shard {shard}: {len(mine)} of the batch's {len(entries)} student(s), chosen by a hash "
        "of each student's key",
        err=True,
    )

    def finish(records: dict[str, BatchRecord]) -> None:
        write_review_parts(out, mine, records)
        atomic_write(out / MANIFEST, json.dumps({**record, "finished": True}, indent=1) + "\n")
        click.echo(f"shard {shard} finished: merge it with `grader merge`", err=True)

    return mine, finish


def write_review_parts(out: Path, entries: list[Entry], records: dict[str, BatchRecord]) -> None:
    """The review's part of each student of the shard (their files are read here, where the batch
    is): the merge reviews the whole class from these, similarity across every shard."""
    from grader.review.build import student_part
    from grader.workbook.catalog import load_catalog

    exercises = list(load_catalog())
    scans: dict = {}
    parts = [
        student_part(e, records[e.student], exercises, scans)
        for e in entries
        if e.student in records
    ]
    atomic_write(out / REVIEW_PARTS, json.dumps({"format": FORMAT, "parts": parts}) + "\n")

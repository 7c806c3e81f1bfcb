"""`grader merge OUT_1 ... OUT_N --out OUT`: the OUTs of `grader grade --shard K/N` joined into
the gradebook, feedback, review and report one run of the whole batch writes. Each shard's
shard.json holds the whole batch's survey, so the merge proves that every student was graded by
the shard they belong to, and refuses what cannot be joined, saying what and where."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click

from grader.commands.batch import RESULTS_DIR
from grader.commands.preflight import InputError
from grader.reports.escape import terminal
from grader.workbook.files import atomic_write
from grader.workbook.results import BatchRecord
from grader.workbook.shards import (
    MANIFEST,
    MANIFEST_LIMIT,
    PART_LIMIT,
    REVIEW_PARTS,
    ShardError,
    read_json,
)

NOT_A_SHARD = "not the OUT of `grader grade --shard K/N`"


def run_merge(
    shards: tuple[Path, ...],
    out: Path,
    junit: Path | None = None,
    review: bool = True,
    threshold: float | None = None,
    late_policy: Path | None = None,
    overrides: Path | None = None,
) -> dict[str, BatchRecord]:
    """Check that `shards` are the N parts of one graded batch, then write OUT from them."""
    from grader.commands.grade import write_gradebook, write_report
    from grader.commands.term import Term

    try:
        records, parts = joined(shards, out)
    except ShardError as exc:
        raise InputError(str(exc)) from None
    except (KeyError, TypeError, AttributeError) as exc:  # edited by hand, or damaged
        what = f"{type(exc).__name__}: {exc}"
        raise InputError(
            f"a shard's {MANIFEST} is not as `grader grade --shard` writes it ({what})"
        ) from None
    adjust = Term(late_policy=late_policy, overrides=overrides).adjust(out)
    out.mkdir(parents=True, exist_ok=True)
    stale = out / RESULTS_DIR  # an earlier run's results in OUT: not this class's
    if stale.is_dir() and not stale.is_symlink():
        shutil.rmtree(stale)
    for record in records.values():  # as one run keeps them: --resume and --only work on OUT
        text = json.dumps(record.to_json(), indent=1, sort_keys=True)
        atomic_write(out / RESULTS_DIR / f"{record.key}.json", text)
    records = adjust(records) if adjust else records
    write_gradebook(out, records)
    found = None
    if review:
        from grader.commands.review import write_built
        from grader.review.build import DEFAULT_THRESHOLD, review_of_parts
        from grader.workbook.catalog import load_catalog

        chosen = DEFAULT_THRESHOLD if threshold is None else threshold
        try:
            found = write_built(out, review_of_parts(parts, list(load_catalog()), chosen))
        except Exception as exc:  # noqa: BLE001 - the grades are written; say so, as one run does
            click.echo(
                f"the review failed ({type(exc).__name__}: {exc}); grades unaffected", err=True
            )
    write_report(out, records, "", found)
    if junit:
        from grader.reports.junit import junit_xml

        atomic_write(junit, junit_xml({s: r.result for s, r in records.items()}))
    click.echo(
        f"merged {len(shards)} shard(s): wrote {terminal(out / 'grades.csv')}, grades.json, "
        f"feedback/ ({len(records)} files) and report.html",
        err=True,
    )
    return records


def joined(shards: tuple[Path, ...], out: Path) -> tuple[dict[str, BatchRecord], list[dict]]:
    """Every student's record, in the batch's order, from the shard they belong to, and their
    review parts; ShardError on the first thing that cannot be joined."""
    for shard in shards:
        if out.resolve() == shard.resolve():
            raise ShardError(f"--out {out} is one of the shards: choose another folder")
    seen = {}
    for shard in shards:
        if (at := shard.resolve()) in seen:
            raise ShardError(f"{shard} is given twice (as {seen[at]} too)")
        seen[at] = shard
    manifests = {shard: read_json(shard / MANIFEST, NOT_A_SHARD) for shard in shards}
    first, reference = next(iter(manifests.items()))
    for shard, found in manifests.items():
        if not found.get("finished"):
            raise ShardError(
                f"{shard}: shard {found.get('shard')}/{found.get('of')}'s run did not finish "
                "(interrupted, failed or still running); run it again (with --resume) first"
            )
        for field, what in (
            ("of", "a different number of shards"),
            ("batch", "a different batch"),
            ("key_mark", "a different grading key"),
            ("made", "other checks, another workbook.toml or another grader version"),
            ("only", "other exercises (--only)"),
        ):
            if found.get(field) != reference.get(field):
                raise ShardError(
                    f"{shard} and {first} were graded with {what} "
                    f"({_shown(found, field)} against {_shown(reference, field)}): "
                    "merge only the shards of one `grader grade --shard` run"
                )
    by_index: dict[int, Path] = {}
    for shard, found in manifests.items():
        index = found["shard"]
        if index in by_index:
            raise ShardError(
                f"shard {index}/{found['of']} is given twice: {by_index[index]} and {shard}"
            )
        by_index[index] = shard
    missing = [k for k in range(1, reference["of"] + 1) if k not in by_index]
    if missing:
        names = ", ".join(f"{k}/{reference['of']}" for k in missing)
        raise ShardError(f"shard(s) {names} missing: give all {reference['of']} shards' OUTs")
    return _records(reference["students"], by_index)


def _records(
    students: list[dict], by_index: dict[int, Path]
) -> tuple[dict[str, BatchRecord], list[dict]]:
    records: dict[str, BatchRecord] = {}
    lost: list[str] = []
    for student in students:
        shard = by_index[student["shard"]]
        path = shard / RESULTS_DIR / f"{student['key']}.json"
        record = _read_record(path)
        if record is None or record.digest != student["fingerprint"]:
            why = "absent or unreadable" if record is None else "of other files or another key"
            lost.append(f"{terminal(student['student'], keep_newlines=False)} ({path}: {why})")
            continue
        records[student["student"]] = record
    if lost:
        raise ShardError(
            f"{len(lost)} student(s) of the batch graded by no shard: {'; '.join(lost)}; grade "
            "their shard again (with --resume)"
        )
    parts: dict[str, dict] = {}
    for index, shard in by_index.items():
        limit = PART_LIMIT * (1 + sum(s["shard"] == index for s in students))
        found = read_json(shard / REVIEW_PARTS, NOT_A_SHARD, limit).get("parts")
        try:
            parts.update((part["student"], part) for part in found)
        except (KeyError, TypeError):
            raise ShardError(f"{shard / REVIEW_PARTS} is not a list of review parts") from None
    unreviewed = [s["student"] for s in students if s["student"] not in parts]
    if unreviewed:
        shown = ", ".join(terminal(s, keep_newlines=False) for s in unreviewed[:10])
        raise ShardError(
            f"no review part for {len(unreviewed)} student(s) ({shown}) in {REVIEW_PARTS}"
        )
    return records, [parts[s["student"]] for s in students]


def _read_record(path: Path) -> BatchRecord | None:
    try:
        if path.stat().st_size > MANIFEST_LIMIT:
            return None
        return BatchRecord.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _shown(manifest: dict, field: str) -> str:
    value = manifest.get(field)
    if field == "batch":
        return f"{manifest.get('batch_folder')}, {len(manifest.get('students', []))} students"
    return json.dumps(value)[:80]

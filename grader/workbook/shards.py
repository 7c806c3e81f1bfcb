"""A class graded in shards: which shard a student belongs to, and what each shard's OUT records of
the whole batch (OUT/shard.json) so that `grader merge` can prove nothing is lost. Torch-free.

A student's shard is a hash of their entry's key, not their position: a student stays in the same
shard when others are added to the batch or removed from it."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from grader.workbook.entries import Entry

MANIFEST = "shard.json"
REVIEW_PARTS = "shard-review.json"  # the review's part of each student of the shard
FORMAT = 1
MANIFEST_LIMIT = 256 * 2**20  # bytes read of a shard's files: a course of many thousands fits
# A student's review part holds at most 1 Mi characters of each exercise file, \u-escaped.
PART_LIMIT = 64 * 2**20


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based) of `count`."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, entry: Entry) -> bool:
        return shard_of(entry.key, self.count) == self.index


def parse_shard(text: str) -> Shard:
    """`K/N` with 1 <= K <= N; ValueError saying what is wrong."""
    found = re.fullmatch(r"\s*(\d{1,6})\s*/\s*(\d{1,6})\s*", text)
    if not found:
        raise ValueError(f"{text!r} is not K/N (shard K of N, e.g. 1/4)")
    index, count = int(found.group(1)), int(found.group(2))
    if not 1 <= index <= count:
        raise ValueError(f"{text!r}: K must be from 1 to N ({count})")
    return Shard(index, count)


def shard_of(key: str, count: int) -> int:
    """The shard (1 to `count`) of the student whose entry key is `key`."""
    digest = hashlib.sha256(b"grader-shard\0" + key.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def batch_mark(fingerprints: list[tuple[str, str]]) -> str:
    """One hash of the whole batch: every student's key and the digest of what they handed in."""
    hasher = hashlib.sha256(b"grader-batch\0")
    for key, fingerprint in sorted(fingerprints):
        hasher.update(f"{key}\0{fingerprint}\n".encode("utf-8", "surrogateescape"))
    return hasher.hexdigest()[:32]


def manifest(
    shard: Shard,
    batch: Path,
    entries: list[tuple[Entry, str]],
    key_mark: str,
    made: str,
    only: list[str] | None,
    finished: bool = False,
) -> dict:
    """What OUT/shard.json holds: the whole batch's survey (every student, their key, the digest
    their result carries and their shard), the grading key's mark, the exercises, and whether
    the shard's run finished. `entries`: every entry of the batch, with the digest its result
    carries (what was graded, the key's mark and `made`)."""
    students = [
        {
            "student": e.student,
            "key": e.key,
            "fingerprint": fingerprint,
            "shard": shard_of(e.key, shard.count),
        }
        for e, fingerprint in entries
    ]
    return {
        "format": FORMAT,
        "shard": shard.index,
        "of": shard.count,
        "batch": batch_mark([(e.key, f) for e, f in entries]),
        "batch_folder": str(batch),
        "key_mark": key_mark,  # a hash of the grading key (CheckSettings.resume_mark)
        "made": made,  # the checks, workbook.toml and grader that graded (run_mark)
        "only": only,
        "students": students,
        "finished": finished,
    }


class ShardError(Exception):
    """A shard's OUT that cannot be merged: the message says what and where."""


def read_json(path: Path, what: str, limit: int = MANIFEST_LIMIT) -> dict:
    """A shard's JSON file, read within `limit` bytes; ShardError naming it when it cannot be."""
    try:
        if not path.is_file():
            raise ShardError(f"{path} does not exist: {what}")
        if path.stat().st_size > limit:
            raise ShardError(f"{path} is larger than {limit} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ShardError(f"{path} cannot be read ({type(exc).__name__}: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ShardError(f"{path} is not a shard's record of this grader (format {FORMAT})")
    return data

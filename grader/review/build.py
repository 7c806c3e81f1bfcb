"""A graded class's review: integrity flags (the static scan of each exercise file, and how its
workers ended) and similar pairs, as OUT/review.json's data and the pairs' pages. For review,
never a penalty: nothing here changes a score. Student files are read as the grading read them
(the same intake rule, the same caps) and are never imported or run."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from grader.review.findings import Scan
from grader.review.outcomes import outcome_findings
from grader.review.pages import page_name, similarity_page
from grader.review.repository import differences, judged
from grader.review.scan import decode, scan_source
from grader.review.similarity import SCORE_LIMIT, TEXT_LIMIT, similar_pairs
from grader.workbook.catalog import Exercise
from grader.workbook.intake import Entry, take_in
from grader.workbook.paths import EXERCISES_DIR, SOLUTIONS_DIR
from grader.workbook.results import BatchRecord
from grader.workbook.stubs import starter_text

# Measured with bench/similarity.py --evasions: independent solutions of one exercise score at
# most 0.33, the copies of tests/evasions.py (padded, reordered, renamed, split, merged) 1.00.
DEFAULT_THRESHOLD = 0.5


@dataclass
class Review:
    data: dict
    pages: dict[str, str] = field(default_factory=dict)  # path relative to OUT -> HTML


def build_review(
    entries: list[Entry],
    records: dict[str, BatchRecord],
    exercises: list[Exercise],
    threshold: float = DEFAULT_THRESHOLD,
) -> Review:
    """The review of the students in both `entries` and `records`, over `exercises`' files."""
    started = time.monotonic()
    scans: dict[bytes, Scan] = {}
    parts = [
        student_part(entry, records[entry.student], exercises, scans)
        for entry in entries
        if entry.student in records
    ]
    return review_of_parts(parts, exercises, threshold, time.monotonic() - started)


def student_part(
    entry: Entry, record: BatchRecord, exercises: list[Exercise], scans: dict[bytes, Scan]
) -> dict:
    """What the review needs of one student, as plain JSON data: their flags and notes, their
    exercise files' texts and their repository's differences. A shard of the class writes these
    for its students; `review_of_parts` joins the whole class's into one review."""
    flags: list[dict] = []
    notes: list[dict] = []
    texts = _read(entry, exercises, flags, notes, scans)
    for filename, finding in outcome_findings(record, exercises):
        flags.append(_flag(entry.student, finding.kind, finding.what, filename, None))
    found = None if entry.files else differences(entry.path)  # a GitHub Classroom clone
    return {
        "student": entry.student,
        "key": record.key,
        "flags": flags,
        "notes": notes,
        "texts": texts,
        "repository": None if found is None else [[*f, digest] for f, digest in found],
    }


def review_of_parts(
    parts: list[dict], exercises: list[Exercise], threshold: float, scan_seconds: float = 0.0
) -> Review:
    """The class's review from every student's part (see `student_part`), in the class's order."""
    flags = [flag for part in parts for flag in part["flags"]]
    notes = [note for part in parts for note in part["notes"]]
    texts = {part["student"]: part["texts"] for part in parts}
    keys = {part["student"]: part["key"] for part in parts}
    raw = {
        part["student"]: [(tuple(f[:3]), f[3]) for f in part["repository"]]
        for part in parts
        if part["repository"] is not None
    }
    for student, found in judged(raw).items():
        flags += [_flag(student, kind, what, filename, None) for kind, what, filename in found]
    scanned = time.monotonic()
    starters = {
        e.id: starter_text(EXERCISES_DIR / e.filename, SOLUTIONS_DIR / e.filename)
        for e in exercises
    }
    found = similar_pairs(texts, starters, {e.id: e.filename for e in exercises}, threshold)
    pairs, pages = [], {}
    for pair in found.pairs:
        page = page_name(keys[pair.a], keys[pair.b])
        pages[page] = similarity_page(pair, threshold)
        pairs.append(
            {
                "a": pair.a,
                "b": pair.b,
                "score": round(pair.score, 4),
                "page": page,
                "files": {m.filename: m.score for m in pair.files},
                "crowd": pair.crowd,
                "standout": pair.standout,
            }
        )
    data = {
        "flags": flags,
        "similarity": {
            "threshold": threshold,
            "pairs": pairs,
            "pairs_over_threshold": found.over_threshold,
            "groups": [
                {
                    "file": g.filename,
                    "students": g.students,
                    "pairs": g.pairs,
                    "low": g.low,
                    "high": g.high,
                }
                for g in found.groups
            ],
            "file_pairs_compared": found.compared,
            "seconds": round(time.monotonic() - scanned, 2),
        },
        "notes": notes,
        "scan_seconds": round(scan_seconds, 2),
    }
    return Review(data, pages)


def _read(
    entry: Entry,
    exercises: list[Exercise],
    flags: list[dict],
    notes: list[dict],
    scans: dict[bytes, Scan],
) -> dict[str, str]:
    """One student's exercise files (as intake chose them), scanned; their texts for similarity."""
    try:
        chosen = take_in(entry.items, exercises, entry.precedence).chosen
    except Exception as exc:  # noqa: BLE001 - grading already said why; the review goes on
        notes.append(_note(entry.student, "", f"not read ({type(exc).__name__})"))
        return {}
    texts = {}
    for exercise in exercises:
        found = chosen.get(exercise.id)
        if found is None:
            continue
        if found.data not in scans:  # a file handed in by many (a stub, a copy): scanned once
            scans[found.data] = scan_source(found.data)
        scan = scans[found.data]
        for finding in scan.findings:
            flags.append(
                _flag(entry.student, finding.kind, finding.what, exercise.filename, finding.line)
            )
        notes += [_note(entry.student, exercise.filename, n) for n in scan.notes]
        text = decode(found.data[: SCORE_LIMIT * 4])[0]
        if len(text) > TEXT_LIMIT:
            long = len(text) > SCORE_LIMIT
            cut = f"compared on its first {SCORE_LIMIT:,} chars, " if long else ""
            notes.append(
                _note(entry.student, exercise.filename, f"{cut}shown on its first {TEXT_LIMIT:,}")
            )
        texts[exercise.id] = text[:SCORE_LIMIT]  # what similarity reads of it: a shard's part
    return texts


def _flag(student: str, kind: str, what: str, file: str, line: int | None) -> dict:
    return {"student": student, "kind": kind, "what": what, "file": file, "line": line}


def _note(student: str, file: str, note: str) -> dict:
    return {"student": student, "file": file, "note": note}

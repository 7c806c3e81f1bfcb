"""Who each row of the gradebook is: grades.json's additions to the spec's shape (which it keeps)
for each student, the course site's id and the entry's original name(s), and their feedback file;
and, for a run stopped by Ctrl-C, that the gradebook is partial. grades.csv keeps the spec's
header."""

from __future__ import annotations

from grader.workbook.results import BatchRecord


def feedback_file(record: BatchRecord) -> str:
    """The one safe-name rule for a student's feedback file (the record's key), relative to OUT."""
    return f"feedback/{record.key}.md"


def with_identity(book: dict, records: dict[str, BatchRecord], partial: str = "") -> dict:
    """`book` (gradebook_json's) with each student's site id, entry names and feedback file."""
    for row in book["students"]:
        record = records[row["student"]]
        row["feedback"] = feedback_file(record)
        row["entry"] = list(record.entry.get("names", []))
        row["site"] = record.entry.get("site", "")
        row["site_id"] = record.entry.get("site_id", "")
        row["name"] = record.entry.get("name") or row["student"]
        row.update(record.entry.get("adjusted") or {})  # raw and final totals, late, overrides
    if partial:
        book["partial"] = partial
    return book

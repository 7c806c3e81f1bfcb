"""The instructor's files, in the spec's formats: `grades.csv`, `grades.json`, and a feedback file
per student that reads without the grader. Every file is written atomically."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from grader.batch import atomic_write
from grader.catalog import Exercise, load_catalog
from grader.escape import csv_cell, markdown_code_block, markdown_text

_DETAIL_PREFIXES = ("Input:", "Expected:", "Got:")


def number(value: float) -> int | float:
    """Points as the plainest number: 3 rather than 3.0."""
    return int(value) if float(value).is_integer() else round(float(value), 6)


def exercises_in(records: dict[str, dict]) -> list[Exercise]:
    """The exercises the records were graded on (all of them with --only absent), in catalog order."""
    ids = next(iter(records.values()))["exercises"] if records else [e.id for e in load_catalog()]
    return [e for e in load_catalog() if e.id in ids]


def gradebook_json(records: dict[str, dict]) -> dict:
    exercises = exercises_in(records)
    students = []
    for student, record in records.items():
        result = record["result"]
        students.append({"student": student, "total": number(result["total"]), "notes": record.get("notes", [])[:1],
                         "exercises": {e.id: {
                             "score": number(result["exercises"][e.id]["score"]),
                             "max_score": number(e.points),
                             "checks": [{"name": c["name"], "score": number(c["score"]),
                                         "max_score": number(c["max_score"]), "passed": c["passed"],
                                         "status": c["status"], "message": c["message"]}
                                        for c in result["exercises"][e.id]["checks"]]}
                             for e in exercises}})
    return {"max_scores": {e.id: number(e.points) for e in exercises},
            "max_total": number(sum(e.points for e in exercises)), "students": students}


def gradebook_csv(records: dict[str, dict]) -> str:
    exercises = exercises_in(records)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *[e.id for e in exercises], "total"])
    for student, record in records.items():
        result = record["result"]
        writer.writerow([csv_cell(student), *[number(result["exercises"][e.id]["score"]) for e in exercises],
                         number(result["total"])])
    return buffer.getvalue()


def public_message(check: dict, visible: bool) -> str:
    """A hidden check's message without its inputs and expected values."""
    if visible:
        return check["message"]
    lines = [line for line in check["message"].splitlines() if not line.startswith(_DETAIL_PREFIXES)]
    return "\n".join(lines)


def feedback_markdown(student: str, record: dict, visible_checks: frozenset[str] = frozenset()) -> str:
    result = record["result"]
    exercises = exercises_in({student: record})
    total = sum(e.points for e in exercises)
    lines = [f"# Feedback for {markdown_text(student)}", "", f"**Total: {number(result['total'])} / {number(total)} points**", ""]
    for note in record.get("notes", []):
        if not note.startswith("Traceback"):
            lines += [f"> Note: {markdown_text(note)}", ""]
    lines += ["| # | exercise | score | status |", "|---|---|---|---|"]
    for e in exercises:
        mine = result["exercises"][e.id]
        lines.append(f"| {e.number:02d} | {e.title} (`{e.id}`) | {number(mine['score'])} / {e.points} | "
                     f"{mine['status']} |")
    for e in exercises:
        mine = result["exercises"][e.id]
        failed = [c for c in mine["checks"] if not c["passed"]]
        lines += ["", f"## {e.number:02d} {e.title}: {number(mine['score'])} / {e.points}", ""]
        if mine["status"] == "not attempted":
            reason = failed[0]['message'].splitlines()[0] if failed and failed[0]['message'] else ''
            lines.append(f"Not attempted: {markdown_text(reason) or 'no checks ran'}")
            continue
        if not failed:
            lines.append("Every check passed.")
            continue
        counts: dict[str, int] = {}
        for check in mine["checks"]:
            counts[check["status"]] = counts.get(check["status"], 0) + 1
        lines.append("Checks: " + ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items()) + ".")
        for check in failed:
            message = public_message(check, f"{e.id}::{check['name']}" in visible_checks)
            lines += ["", f"- **{check['name']}** ({check['status'].replace('_', ' ')}, "
                      f"{number(check['score'])} / {number(check['max_score'])})", "",
                      markdown_code_block(message)]
        lines += ["", f"Hint: {e.hints[0]} (tutorial: {e.section})"]
    return "\n".join(lines) + "\n"


def write_gradebook(out: Path, records: dict[str, dict], keys: dict[str, str],
                    feedback_for: list[str] | None = None) -> None:
    """grades.csv, grades.json, and feedback/<student>.md for `feedback_for` (default: everyone)."""
    atomic_write(out / "grades.csv", gradebook_csv(records))
    atomic_write(out / "grades.json", json.dumps(gradebook_json(records), indent=1) + "\n")
    for student in records if feedback_for is None else feedback_for:
        atomic_write(out / "feedback" / f"{keys[student]}.md", feedback_markdown(student, records[student]))

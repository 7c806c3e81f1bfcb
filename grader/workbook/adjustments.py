"""An instructor's changes to graded results, from files: manual overrides and TA comments (a CSV of
student, exercise, points, reason) and a late policy (a TOML file: deadline, penalty per day or
hour, cap, per-student extensions). Applied to copies of the records that the gradebook, the
feedback, the report and the exports are written from; the stored results stay as graded, and
the raw score is kept beside the adjusted one. Torch-free."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from grader.workbook.results import BatchRecord, CheckResult, ExerciseResult, Status

MAX_FILE_BYTES = 5_000_000


class AdjustmentError(ValueError):
    """A policy or overrides file that cannot be used; the message says what and where."""


@dataclass(frozen=True)
class Override:
    student: str
    exercise: str  # an exercise id, or "" for a comment on the whole submission
    points: float | None  # None: a comment only
    reason: str
    line: int


@dataclass
class LatePolicy:
    deadline: dt.datetime
    per: str = "day"  # "day" or "hour"
    penalty: float = 0.0  # percent of the total per started day (or hour) late
    cap: float = 100.0  # percent, at most
    late_mark_units: int = 1  # a site's late mark without a time counts as this many units
    extensions: dict[str, dt.datetime] = field(default_factory=dict)


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()[: MAX_FILE_BYTES + 1]
    except OSError as exc:
        raise AdjustmentError(f"{path} cannot be read ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise AdjustmentError(f"{path} is larger than {MAX_FILE_BYTES:,} bytes")
    return data.decode("utf-8-sig", "replace")


def read_overrides(path: Path) -> list[Override]:
    """Rows `student,exercise,points,reason` (a header row first); empty points: a comment."""
    rows = list(csv.reader(io.StringIO(_read(path))))
    if not rows or [c.strip().lower() for c in rows[0][:4]] != [
        "student",
        "exercise",
        "points",
        "reason",
    ]:
        raise AdjustmentError(f"{path}: the first row must be student,exercise,points,reason")
    found = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        student, exercise, points, reason = (row + ["", "", "", ""])[:4]
        try:
            value = float(points) if points.strip() else None
        except ValueError:
            raise AdjustmentError(
                f"{path} line {number}: points {points!r} is not a number"
            ) from None
        if value is not None and (not math.isfinite(value) or value < 0):
            raise AdjustmentError(f"{path} line {number}: points must be 0 or more")
        if not reason.strip():
            raise AdjustmentError(f"{path} line {number}: every override says why (reason)")
        found.append(Override(student.strip(), exercise.strip(), value, reason.strip(), number))
    return found


def _time(value: object, where: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise AdjustmentError(
            f"{where}: {value!r} is not a date and time (2026-11-02T23:59)"
        ) from None


def read_policy(path: Path) -> LatePolicy:
    try:
        data = tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as exc:
        raise AdjustmentError(f"{path} is not TOML ({exc})") from None
    if "deadline" not in data:
        raise AdjustmentError(f"{path}: no deadline")
    per = "hour" if "penalty_per_hour" in data else "day"
    try:
        policy = LatePolicy(
            _time(data["deadline"], f"{path} deadline"),
            per,
            float(data.get(f"penalty_per_{per}", 0)),
            float(data.get("cap", 100)),
            int(data.get("late_mark_units", 1)),
        )
    except (TypeError, ValueError) as exc:
        raise AdjustmentError(
            f"{path}: a penalty, cap or late_mark_units is no number ({exc})"
        ) from None
    for student, until in dict(data.get("extensions", {})).items():
        policy.extensions[str(student)] = _time(until, f"{path} extension of {student}")
    return policy


def _same_zone(moment: dt.datetime, like: dt.datetime) -> dt.datetime:
    if (moment.tzinfo is None) != (like.tzinfo is None):
        return moment.replace(tzinfo=like.tzinfo)  # the site's time is the course's local time
    return moment


def late_for(record: BatchRecord, policy: LatePolicy, names: set[str]) -> dict:
    """The late penalty of one student: their due time (an extension by any of `names`), when
    the site says they submitted, the units late and the percent taken."""
    due = next((policy.extensions[n] for n in names if n in policy.extensions), policy.deadline)
    attempt = str(record.entry.get("attempt", ""))
    mark = str(record.entry.get("late", ""))
    units, said = 0, ""
    try:
        stamp = dt.datetime.strptime(attempt, "%Y-%m-%d-%H-%M-%S") if attempt else None
    except ValueError:  # the name's digits are no date: said, and no penalty guessed
        stamp, said = None, f"attempt time {attempt} is not a date"
    if stamp:
        when = _same_zone(stamp, due)
        seconds = (when - _same_zone(due, when)).total_seconds()
        size = 3600 if policy.per == "hour" else 86400
        units = max(0, math.ceil(seconds / size))
        said = f"submitted {when.isoformat()}"
    elif mark:
        units = policy.late_mark_units
        said = f"{mark}, no submission time in the export: counted as {units} {policy.per}(s)"
    percent = min(policy.cap, units * policy.penalty)
    return {
        "due": due.isoformat(),
        "said": said,
        "units": units,
        "per": policy.per,
        "percent": percent,
    }


def apply(
    records: dict[str, BatchRecord],
    overrides: list[Override],
    policy: LatePolicy | None,
) -> tuple[dict[str, BatchRecord], dict[str, dict]]:
    """Copies of `records` with overrides applied (and said in their notes), and per student
    what was changed: raw and adjusted totals, overrides, the late penalty."""
    changed: dict[str, BatchRecord] = {}
    summary: dict[str, dict] = {}
    for student, record in records.items():
        names = {student, str(record.entry.get("site_id", "")), str(record.entry.get("name", ""))}
        names.discard("")
        mine = [o for o in overrides if o.student in names]
        result = replace(record.result, exercises=dict(record.result.exercises))
        notes = list(record.notes)
        applied = []
        for override in mine:
            exercise = result.exercises.get(override.exercise)
            if override.points is None or exercise is None:
                notes.append(f"TA comment{_on(override)}: {override.reason}")
                continue
            points = min(override.points, exercise.max_score)
            checks = [replace(c, score=0.0) for c in exercise.checks]
            graded = f"{points:g}/{exercise.max_score:g} (graded {exercise.score:g})"
            message = f"override: {graded}: {override.reason}"
            status = Status.PASSED if points >= exercise.max_score else Status.FAILED
            checks.insert(0, CheckResult("override", status, points, exercise.max_score, message))
            result.exercises[override.exercise] = ExerciseResult(
                exercise.id, exercise.max_score, checks
            )
            notes.append(f"{override.exercise} {message}")
            applied.append(
                {
                    "exercise": override.exercise,
                    "points": points,
                    "was": exercise.score,
                    "reason": override.reason,
                }
            )
        raw = record.result.total
        late = late_for(record, policy, names) if policy else None
        total = result.total
        final = round(total * (1 - (late["percent"] if late else 0) / 100), 4)
        if late and late["percent"]:
            notes.append(
                f"late ({late['said']}; due {late['due']}): {late['units']} {late['per']}(s), "
                f"-{late['percent']:g}%: {total:g} -> {final:g}"
            )
        entry = dict(record.entry)
        if applied or late or len(notes) != len(record.notes):
            summary[student] = {
                "raw_total": raw,
                "total_after_overrides": total,
                "overrides": applied,
                "late": late,
                "final_total": final,
            }
            entry["adjusted"] = summary[student]  # grades.json shows it beside the total
        changed[student] = replace(record, result=result, notes=notes, entry=entry)
    unknown = [
        o for o in overrides if not any(o.student in _names(r, s) for s, r in records.items())
    ]
    for override in unknown:
        summary.setdefault("", {"unmatched_overrides": []})["unmatched_overrides"].append(
            f"line {override.line}: {override.student}"
        )
    return changed, summary


def _names(record: BatchRecord, student: str) -> set[str]:
    return {student, str(record.entry.get("site_id", "")), str(record.entry.get("name", ""))} - {""}


def _on(override: Override) -> str:
    return f" on {override.exercise}" if override.exercise else ""

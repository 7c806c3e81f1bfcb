"""A class in course-site layouts graded end to end: every row and note; its gradebook exported to
Canvas, the roster joined by the site ids read from Canvas's file names; then Ctrl-C in the middle
of the same batch (exit 130 within 2 s, no process left, a partial gradebook said to be partial)
and --resume, which ends with the uninterrupted gradebook."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.reports.escape import markdown_text
from tests.site_class import ONLY, make_site_class
from tests.test_export import CANVAS_ROSTER, rows_of

GRADER = str(Path(sys.executable).with_name("grader"))


def grade(batch: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [GRADER, "grade", str(batch), "--out", str(out), *ONLY, *extra],
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("site-class")
    expected = make_site_class(root / "batch")
    done = grade(root / "batch", root / "out", "--workers", "2")
    assert done.returncode == 0, done.stderr
    return root, expected


def test_every_student_gets_the_grade_their_files_earn_and_the_note(graded):
    root, expected = graded
    rows = {r["student"]: r for r in csv.DictReader((root / "out" / "grades.csv").open())}
    assert list(next(iter(rows.values()))) == [
        "student",
        "edge_filter",
        "count_parameters",
        "total",
    ]
    book = json.loads((root / "out" / "grades.json").read_text())
    by_student = {s["student"]: s for s in book["students"]}
    assert set(rows) == set(by_student) == set(expected) and len(rows) >= 20
    for student, (edge, count, note, site_id) in expected.items():
        row, entry = rows[student], by_student[student]
        assert (float(row["edge_filter"]), float(row["count_parameters"])) == (edge, count), row
        assert entry["site_id"] == site_id and entry["entry"]
        notes = entry["notes"][0] if entry["notes"] else ""
        assert note in notes if note else notes == "", (student, notes)
        feedback = (root / "out" / entry["feedback"]).read_text(encoding="utf-8")
        # the feedback file shows the student's id and the note as Markdown text, escaped
        assert feedback.startswith(f"# Feedback for {markdown_text(student)}\n")
        assert markdown_text(note) in feedback
    assert "partial" not in book


def test_the_real_gradebook_exports_to_canvas_by_the_site_ids_of_the_file_names(graded, tmp_path):
    """Canvas's download names (smithjohn_late_12345_..., doejane_23456_...) carry the site ids the
    roster is joined on (jdoe renamed: only the id can match Jane); Li Wei matches by name."""
    root, _ = graded
    roster = tmp_path / "canvas.csv"
    roster.write_text(CANVAS_ROSTER.replace("jdoe", "jdoe2"))  # only the site id can match Jane
    out = tmp_path / "canvas_import.csv"
    done = subprocess.run(
        [GRADER, "export", "canvas", str(out), "--gradebook", str(root / "out"),
         "--roster", str(roster), "--title", "Lab 01", "--points", "74"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    body = {r[1]: r[-1] for r in rows_of(out)[2:]}
    assert (body["12345"], body["23456"], body["50001"]) == ("74", "74", "50")  # of 37, scaled
    assert "matched 3 of 8 roster rows (2 by site id, 1 by name)" in done.stderr, done.stderr


def _descendants(root: int) -> set[tuple[int, str]]:
    """(pid, start time) of every process below `root`, found through /proc."""
    parents: dict[int, list[tuple[int, str]]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                fields = Path(f"/proc/{name}/stat").read_text().rsplit(") ", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append((int(name), fields[19]))
    found, todo = set(), [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child[0])
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return ""


def _alive(process: tuple[int, str]) -> bool:
    try:
        fields = Path(f"/proc/{process[0]}/stat").read_text().rsplit(") ", 1)[1].split()
    except OSError:
        return False
    return fields[19] == process[1] and fields[0] != "Z"


def _start(batch: Path, out: Path) -> subprocess.Popen:
    """The command as a terminal starts it: SIGINT at its default (a suite started in the
    background by a non-interactive shell ignores SIGINT, as POSIX says, and every process it
    starts inherits that; Python then never raises KeyboardInterrupt)."""
    return subprocess.Popen(
        [GRADER, "grade", str(batch), "--out", str(out), *ONLY, "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _interrupt_when(process: subprocess.Popen, ready) -> tuple[bool, float, str]:
    """Ctrl-C (SIGINT to the command's process group) once `ready()`; returns whether a zygote
    was running then, the seconds the command took to end after it, and its stderr. The group is
    frozen (SIGSTOP) the moment `ready()` holds and continued after the SIGINT, so however loaded
    the machine, the signal finds the batch where `ready()` saw it, not finished in between."""
    seen: set[tuple[int, str]] = set()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None and not ready():
        seen |= _descendants(process.pid)
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGSTOP)
    seen |= _descendants(process.pid)
    zygote = _zygote_seen(process)
    assert process.poll() is None, "the command ended before the interruption"
    os.killpg(process.pid, signal.SIGINT)
    os.killpg(process.pid, signal.SIGCONT)
    sent = time.monotonic()
    _, stderr = process.communicate(timeout=30)
    took = time.monotonic() - sent
    while time.monotonic() - sent < 2.0 and any(_alive(p) for p in seen):
        time.sleep(0.05)
    assert not [p for p in seen if _alive(p)], "processes were left running"
    return zygote, took, stderr


def _zygote_seen(process: subprocess.Popen) -> bool:
    return any("zygote" in _cmdline(pid) for pid, _ in _descendants(process.pid))


def test_ctrl_c_while_the_batch_starts_exits_130_and_leaves_nothing(graded, tmp_path):
    """Ctrl-C while the zygote imports torch (before any student is graded) ends like one in
    the middle: exit 130, a gradebook that says nothing was graded, no process left."""
    root, expected = graded
    out = tmp_path / "out"
    process = _start(root / "batch", out)
    _, took, stderr = _interrupt_when(process, lambda: _zygote_seen(process))
    assert process.returncode == 130 and took < 2.0, (process.returncode, took, stderr)
    assert "Aborted" not in stderr and "Traceback" not in stderr, stderr
    book = json.loads((out / "grades.json").read_text())
    message = f"{len(book['students'])} of {len(expected)} graded; run again with --resume"
    assert book["partial"] == message and message in stderr


def test_ctrl_c_stops_within_two_seconds_leaves_nothing_and_resume_completes(graded, tmp_path):
    root, expected = graded
    out = tmp_path / "out"
    process = _start(root / "batch", out)
    # interrupted at its first result, so that most of the class is still to grade
    zygote, took, stderr = _interrupt_when(
        process, lambda: bool(list((out / ".results").glob("*.json")))
    )
    assert zygote, "no zygote was running: the test saw nothing"
    assert process.returncode == 130 and took < 2.0, (process.returncode, took, stderr)
    book = json.loads((out / "grades.json").read_text())
    graded_now = len(book["students"])
    assert 1 <= graded_now < len(expected)
    message = f"{graded_now} of {len(expected)} graded; run again with --resume"
    assert book["partial"] == message and message in stderr
    assert f"Partial: {message}" in (out / "report.html").read_text()
    assert len(list((out / ".results").glob("*.json"))) == graded_now
    resumed = grade(root / "batch", out, "--workers", "2", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert f"grading {len(expected) - graded_now} of {len(expected)}" in resumed.stderr
    for name in ("grades.csv", "grades.json"):
        assert (out / name).read_text() == (root / "out" / name).read_text()
    failing = sum(
        1
        for s in json.loads((root / "out" / "grades.json").read_text())["students"]
        if s["total"] < 37
    )
    progress = [line for line in resumed.stderr.splitlines() if " not full marks" in line]
    assert f", {failing} not full marks" in progress[-1]  # the last progress line

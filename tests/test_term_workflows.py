"""A term's workflows end to end, through `grader grade` on a small Blackboard class graded with
`--only edge_filter` (no training): the dry run, a whole download refused (exit 2), a late policy
with an extension, overrides and TA comments, `--student`, and `--resume` after the key changed."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.site_class import EDGE, ref, stub

GRADER = str(Path(sys.executable).with_name("grader"))
T1, T2 = "2026-11-02-10-31-07", "2026-11-04-09-00-00"
KEY_A, KEY_B = "11" * 32, "22" * 32


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([GRADER, *args], capture_output=True, text=True, timeout=600)


def _receipt(name: str, user: str, comment: str) -> str:
    return f"Name: {name} ({user})\nAssignment: Lab 3\n\nComments:\n{comment}\n\nFiles:\n"


@pytest.fixture(scope="module")
def term(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("term")
    batch = root / "batch"
    batch.mkdir()
    files = {
        f"Lab 3_x_name_attempt_{T1}_{EDGE}": stub(EDGE),
        f"Lab 3_x_name_attempt_{T1}.txt": _receipt("Xi Name", "x_name", "first try"),
        f"Lab 3_x_name_attempt_{T2}_{EDGE}": ref(EDGE),
        f"Lab 3_x_name_attempt_{T2}.txt": _receipt("Xi Name", "x_name", "extension please"),
        f"Lab 3_jdoe_attempt_{T1}_{EDGE}": ref(EDGE),
        f"Lab 3_jdoe_attempt_{T1}_notes.ipynb": "{}",
        f"Lab 3_jdoe_attempt_{T1}.txt": _receipt("Jane Doe", "jdoe", "none"),
    }
    for name, text in files.items():
        (batch / name).write_text(text)
    (root / "policy.toml").write_text(
        'deadline = "2026-11-03T23:59:00"\npenalty_per_day = 10\ncap = 30\n'
        '[extensions]\njdoe = "2026-11-05T23:59:00"\n'
    )
    (root / "overrides.csv").write_text(
        "student,exercise,points,reason\njdoe,edge_filter,20,hard-coded kernel\n"
        "x_name,,,TA: clear comments\n"
    )
    return root


def test_dry_run_shows_every_student_file_and_note_and_grades_nothing(term):
    done = run("grade", str(term / "batch"), "--out", str(term / "dry"), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "batch: Blackboard export" in done.stderr
    assert f"edge_filter       attempt {T2}/{EDGE}" in done.stderr
    assert "receipt comment (attempt 2026-11-04-09-00-00): extension please" in done.stderr
    assert "notes.ipynb" in done.stderr  # the file not graded, named
    assert not (term / "dry" / "grades.csv").exists()


def test_a_whole_download_in_the_batch_is_refused_with_exit_2(tmp_path):
    import zipfile

    (tmp_path / "b").mkdir()
    with zipfile.ZipFile(tmp_path / "b" / "submissions.zip", "w") as zipped:
        zipped.writestr(f"amy_1_2_{EDGE}", ref(EDGE))
        zipped.writestr(f"bo_3_4_{EDGE}", ref(EDGE))
    done = run("grade", str(tmp_path / "b"), "--out", str(tmp_path / "o"), "--only", "edge_filter")
    assert done.returncode == 2 and "Canvas's whole download (2 students)" in done.stderr


def test_late_policy_overrides_student_and_stale_resume(term):
    out = str(term / "out")
    # one grading process: what is tested is the workflow, and a second one costs a torch import
    common = ["--out", out, "--only", "edge_filter", "--workers", "1", "--no-review"]
    first = run(
        "grade",
        str(term / "batch"),
        *common,
        "--key",
        KEY_A,
        "--late-policy",
        str(term / "policy.toml"),
        "--overrides",
        str(term / "overrides.csv"),
    )
    assert first.returncode == 0, first.stderr
    rows = {r["student"]: r for r in csv.DictReader(open(term / "out" / "grades.csv"))}
    assert rows["jdoe"]["edge_filter"] == "20"  # the override, in the gradebook
    adjusted = json.loads((term / "out" / "adjustments.json").read_text())
    assert adjusted["x_name"]["late"]["percent"] == 10 and adjusted["x_name"]["final_total"] == 22.5
    assert adjusted["jdoe"]["late"]["percent"] == 0  # the extension
    assert adjusted["jdoe"]["raw_total"] == 25 and adjusted["jdoe"]["final_total"] == 20
    book = {
        r["student"]: r for r in json.loads((term / "out" / "grades.json").read_text())["students"]
    }
    assert (book["x_name"]["total"], book["x_name"]["raw_total"]) == (25, 25)
    assert book["x_name"]["final_total"] == 22.5 and book["x_name"]["late"]["units"] == 1
    assert "total 25/25 (graded 25, final 22.5)" in first.stderr  # the table after the run
    feedback = (term / "out" / "feedback" / "jdoe.md").read_text()
    assert "hard-coded kernel" in feedback
    assert "TA: clear comments" in (term / "out" / "feedback" / "x_name.md").read_text()

    again = run("grade", str(term / "batch"), *common, "--key", KEY_A, "--student", "x_name")
    assert again.returncode == 0, again.stderr
    assert "regrading 1 student(s): x_name" in again.stderr
    assert "grading 1 of 2 submission(s)" in again.stderr
    # the regrade of one student keeps the class's late policy and overrides, kept in OUT/term
    assert "--late-policy: applying" in again.stderr and "--overrides: applying" in again.stderr
    rows = {r["student"]: r for r in csv.DictReader(open(term / "out" / "grades.csv"))}
    assert rows["jdoe"]["edge_filter"] == "20"
    adjusted = json.loads((term / "out" / "adjustments.json").read_text())
    assert adjusted["x_name"]["final_total"] == 22.5 and adjusted["jdoe"]["final_total"] == 20

    stale = run("grade", str(term / "batch"), *common, "--key", KEY_B, "--resume")
    assert stale.returncode == 0, stale.stderr
    assert "--resume: 2 result(s) made with other checks" in stale.stderr
    assert "grading 2 of 2 submission(s)" in stale.stderr

"""The instructor's slips on `grader grade`: each is one line on stderr and exit code 2, before
anything is graded; and `--only` adds its columns to the gradebook already in OUT."""

from __future__ import annotations

import csv
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.site_class import COUNT, EDGE, ref

GRADER = str(Path(sys.executable).with_name("grader"))


def run(*args: str) -> subprocess.CompletedProcess:
    # one grading process: a class of one needs no second (a second costs an import of torch)
    command = [GRADER, "grade", *args, "--workers", "1"]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


@pytest.fixture
def batch(tmp_path) -> Path:
    (tmp_path / "batch" / "ana").mkdir(parents=True)
    (tmp_path / "batch" / "ana" / EDGE).write_text(ref(EDGE))
    (tmp_path / "batch" / "ana" / COUNT).write_text(ref(COUNT))
    return tmp_path / "batch"


@pytest.mark.parametrize(
    "limit, message",
    [
        ("foo=1", "unknown limit 'foo'"),
        ("memory=abc", "limit memory must be a size"),
        ("cpu=0", "limit cpu must be positive"),
        ("memory", "a limit is written NAME=VALUE"),
    ],
)
def test_a_bad_limit_is_rejected_as_check_rejects_it(batch, tmp_path, limit, message):
    done = run(str(batch), "--out", str(tmp_path / "out"), "--limit", limit)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()
    checked = subprocess.run(
        [GRADER, "check", "edge_filter", "--submission", str(batch / "ana"), "--limit", limit],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 2 and message in checked.stderr


def test_out_inside_the_batch_is_rejected(batch):
    done = run(str(batch), "--out", str(batch / "grades"))
    assert done.returncode == 2 and "inside the batch folder" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (batch / "grades").exists()


def test_out_that_cannot_be_created_is_rejected(batch, tmp_path):
    (tmp_path / "a-file").write_text("")
    done = run(str(batch), "--out", str(tmp_path / "a-file" / "out"))
    assert done.returncode == 2 and "cannot be created or written" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_an_empty_batch_is_rejected(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".DS_Store").write_text("")
    done = run(str(tmp_path / "empty"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "holds no submissions" in done.stderr


def test_two_entries_of_one_student_stop_before_grading_unless_a_policy_is_given(batch, tmp_path):
    with zipfile.ZipFile(batch / "ana.zip", "w") as zipped:
        zipped.writestr(EDGE, "def broken(:\n")
    done = run(str(batch), "--out", str(tmp_path / "out"), "--only", "edge_filter")
    assert done.returncode == 2 and "'ana': ana and ana.zip" in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()
    done = run(
        str(batch),
        "--out",
        str(tmp_path / "out"),
        "--only",
        "edge_filter",
        "--duplicates",
        "oldest",
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader((tmp_path / "out" / "grades.csv").open()))
    assert [(r["student"], r["edge_filter"]) for r in rows] == [("ana", "25")]
    assert (
        "also submitted ana.zip, not graded"
        in (tmp_path / "out" / "feedback" / "ana.md").read_text()
    )


def test_only_adds_its_columns_to_the_gradebook_in_out(batch, tmp_path):
    out = tmp_path / "out"
    assert run(str(batch), "--out", str(out), "--only", "edge_filter").returncode == 0
    done = run(str(batch), "--out", str(out), "--only", "count_parameters")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert list(rows[0]) == ["student", "edge_filter", "count_parameters", "total"]
    assert (rows[0]["edge_filter"], rows[0]["count_parameters"], rows[0]["total"]) == (
        "25",
        "12",
        "37",
    )

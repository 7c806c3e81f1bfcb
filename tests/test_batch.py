"""`grader grade`: a class's batch (folders, zips, nested, broken, odd names) becomes a gradebook,
feedback files and a report; the same with any number of workers and one key in a second run;
and after a SIGKILL, --resume (a key of its own) ends with the gradebook an uninterrupted run
writes."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from grader.reports.causes import is_detail
from grader.workbook.intake import Entry, discover
from grader.workbook.paths import SOLUTIONS_DIR
from tests.helpers import stub_text

GRADER = str(Path(sys.executable).with_name("grader"))
ONLY = ["--only", "edge_filter", "--only", "count_parameters"]
FLIPPED = "(patch * kernel.flip(0, 1))"
KEY = "12" * 32  # the fixture's and the serial run's: one key, two runs, one gradebook
WRONG_COUNT = "def linear_param_count(in_features, out_features, bias=True):\n    return -1\n"

# student id -> (expected edge_filter, expected count_parameters); None: not graded here
EXPECTED = {
    "alice": (25, 12),
    "Alice": (0, 12),
    "bob": (0, 0),
    "carol": (25, 0),
    "dave": (0, 0),
    "empty": (0, 0),
    "eve o'neil": (0, 0),
    "frank": (25, 12),
    "grace": (0, 1),
    "heidi": (25, 12),
    "ivan": (13, 0),
}


def make_batch(root: Path) -> Path:
    batch = root / "batch"
    (batch / "alice").mkdir(parents=True)
    for name in ("01_edge_filter.py", "02_count_parameters.py"):
        (batch / "alice" / name).write_text((SOLUTIONS_DIR / name).read_text())
    (batch / "Alice").mkdir()  # differs from alice only in case
    (batch / "Alice" / "02_count_parameters.py").write_text(
        (SOLUTIONS_DIR / "02_count_parameters.py").read_text()
    )
    (batch / "bob" / "exercises").mkdir(parents=True)  # the untouched stubs, one folder down
    for name in ("01_edge_filter.py", "02_count_parameters.py"):
        (batch / "bob" / "exercises" / name).write_text(stub_text(name))
    with zipfile.ZipFile(batch / "carol.zip", "w") as zipped:  # a zip of files
        zipped.write(SOLUTIONS_DIR / "01_edge_filter.py", "01_edge_filter.py")
    (batch / "dave.zip").write_bytes(b"not a zip at all")  # corrupt
    (batch / "empty").mkdir()  # no exercise files
    (batch / "eve o'neil").mkdir()  # odd characters, and a syntax error
    (batch / "eve o'neil" / "01_edge_filter.py").write_text("def horizontal_edge_filter(:\n")
    with zipfile.ZipFile(batch / "frank.zip", "w") as zipped:  # a zip of a folder of a folder
        for name in ("01_edge_filter.py", "02_count_parameters.py"):
            zipped.write(SOLUTIONS_DIR / name, f"frank/exercises/{name}")
    (batch / "grace").mkdir()  # a wrong answer: only linear_param_count... is -1, the rest missing
    (batch / "grace" / "02_count_parameters.py").write_text(
        "def simple_cnn_param_count():\n    return 26138\n" + WRONG_COUNT
    )
    (batch / "heidi").mkdir()
    for name in ("01_edge_filter.py", "02_count_parameters.py"):
        (batch / "heidi" / name).write_text((SOLUTIONS_DIR / name).read_text())
    (batch / "ivan").mkdir()  # a flipped kernel: hidden checks fail (their inputs are secret)
    (batch / "ivan" / "01_edge_filter.py").write_text(
        (SOLUTIONS_DIR / "01_edge_filter.py").read_text().replace("(patch * kernel)", FLIPPED)
    )
    return batch


def grade(batch: Path, out: Path, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [GRADER, "grade", str(batch), "--out", str(out), *ONLY, *extra],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


def gradebook(out: Path) -> tuple[str, str]:
    return (out / "grades.csv").read_text(), (out / "grades.json").read_text()


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("class")
    batch = make_batch(root)
    grade(batch, root / "out", "--workers", "2", "--junit", str(root / "junit.xml"), "--key", KEY)
    return batch, root / "out"


def test_every_row_total_and_file(graded):
    batch, out = graded
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert [r["student"] for r in rows] == sorted(EXPECTED)
    assert list(rows[0]) == ["student", "edge_filter", "count_parameters", "total"]
    for row in rows:
        edge, count = EXPECTED[row["student"]]
        assert (float(row["edge_filter"]), float(row["count_parameters"])) == (edge, count), row
        assert float(row["total"]) == edge + count
    book = json.loads((out / "grades.json").read_text())
    assert (
        book["max_scores"] == {"edge_filter": 25, "count_parameters": 12}
        and book["max_total"] == 37
    )
    for student in book["students"]:
        assert student["total"] == sum(e["score"] for e in student["exercises"].values())
        for exercise in student["exercises"].values():
            assert exercise["score"] == sum(c["score"] for c in exercise["checks"])
    keys = {e.student: e.key for e in discover(batch)}
    assert keys["alice"] != keys["Alice"] and keys["alice"].lower() != keys["Alice"].lower()
    for student, key in keys.items():
        text = (out / "feedback" / f"{key}.md").read_text()
        assert text.startswith(f"# Feedback for {student}\n")
    assert "not a readable zip archive" in (out / "feedback" / f"{keys['dave']}.md").read_text()
    assert "no exercise files" in (out / "feedback" / f"{keys['empty']}.md").read_text()
    assert (
        "SyntaxError" in (out / "feedback" / f"{keys['eve o' + chr(39) + 'neil']}.md").read_text()
    )
    report = (out / "report.html").read_text()
    assert '<svg id="histogram"' in report and "http://" not in report.replace(
        "http://www.w3.org/2000/svg", ""
    )
    assert all(f'href="feedback/{key}.md"' in report for key in keys.values())
    junit = (graded[1].parent / "junit.xml").read_text()
    assert junit.count("<testsuite ") == len(EXPECTED)


def _feedback(batch: Path, out: Path, student: str) -> str:
    key = next(e.key for e in discover(batch) if e.student == student)
    return (out / "feedback" / f"{key}.md").read_text()


def test_feedback_hides_hidden_checks_values_and_shows_public_ones(graded):
    batch, out = graded
    ivan = _feedback(batch, out, "ivan")  # hidden checks, redacted where the run made them
    assert "the kernel is flipped" in ivan and "convolve2d_stride[2]" in ivan
    assert not any(is_detail(line) for line in ivan.splitlines()), ivan
    grace = _feedback(batch, out, "grace")  # linear_param_count is public: its values stay
    assert "linear_param_count" in grace and "Hint:" in grace
    assert "It is -1, expected 25,152." in grace and "Input: (392, 64, bias=True)" in grace


def test_same_gradebook_with_one_worker_and_with_two_and_from_one_key(graded, tmp_path):
    """Two runs with one key (a flipped kernel among them: hidden inputs drawn from the key)."""
    batch, out = graded
    grade(batch, tmp_path / "serial", "--workers", "1", "--key", KEY)
    assert gradebook(tmp_path / "serial") == gradebook(out)
    for run in (out, tmp_path / "serial"):
        assert (run / "grading.key").read_text().strip() == KEY


def test_resume_after_sigkill_gives_the_uninterrupted_gradebook(graded, tmp_path):
    batch, out = graded
    resumed = tmp_path / "resumed"
    process = subprocess.Popen(
        [GRADER, "grade", str(batch), "--out", str(resumed), *ONLY, "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results = resumed / ".results"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list(results.glob("*.json"))) < 3:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(list(results.glob("*.json")))
    assert 3 <= done_before < len(EXPECTED), "the run was not interrupted midway"
    finished = grade(batch, resumed, "--workers", "2", "--resume")
    assert f"grading {len(EXPECTED) - done_before} of {len(EXPECTED)}" in finished.stderr
    assert gradebook(resumed) == gradebook(out)


def test_entry_keys_are_distinct_and_safe():
    entries = [
        Entry(name, Path(name)) for name in ("bob", "Bob", "BOB", "b/o b", "b_o_b", "..", "été")
    ]
    keys = [e.key for e in entries]
    assert len({k.lower() for k in keys}) == len(keys)
    assert all("/" not in k and not k.startswith(".") for k in keys)


def test_an_id_chosen_to_equal_a_classmates_hashed_key_gets_a_key_of_its_own():
    victim = Entry("bob smith", Path("bob smith"))
    chooser = Entry(victim.key, Path(victim.key))  # a username spelt like bob smith's file name
    assert chooser.key != victim.key
    assert chooser.key.lower() != victim.key.lower()


def test_the_grading_processes_are_forked_after_one_import_of_torch_and_pytest():
    """The batch imports torch and pytest once and forks its grading processes from that; torch
    imported with its default threads starts one of its own, which made them spawned, each
    importing both again (about 3 s of CPU per grading process)."""
    probe = (
        "import os, sys\n"
        "from grader.commands.batch import _grading_context\n"
        "name = _grading_context().get_start_method()\n"
        "print(name, 'torch' in sys.modules, len(os.listdir('/proc/self/task')),"
        " os.environ.get('OMP_NUM_THREADS'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.stdout.split() == ["fork", "True", "1", "None"], done.stdout + done.stderr

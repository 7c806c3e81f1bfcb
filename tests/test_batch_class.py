"""A class-sized batch: 60 submissions (folders, zips, nested ones, broken ones, the references,
the stubs, and every wrong answer of the corpus for exercises 01 and 02, the first of each failing
check twice in a different packaging) graded by `grader grade`; every row, total, feedback file,
the JUnit file and the report are checked, and the report is rendered in headless Chromium."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest

from grader.workbook.catalog import exercise_by_id
from grader.workbook.intake import discover
from grader.workbook.paths import SOLUTIONS_DIR
from tests.corpus import WRONG, Variant
from tests.helpers import stub_text

GRADER = str(Path(sys.executable).with_name("grader"))
IDS = ("edge_filter", "count_parameters")
FULL = {i: exercise_by_id(i).points for i in IDS}
WRONG_HERE = [v for v in WRONG if v.exercise in IDS]
# a zip twin for the first mistake of each failing check: packaging must not change a grade (one
# per check, not per mistake, to keep the class's grading short; every mistake is still a folder)
ZIPPED = [v for n, v in enumerate(WRONG_HERE) if v.check not in {w.check for w in WRONG_HERE[:n]}]


def _source(exercise_id: str, variant: Variant | None = None, stub: bool = False) -> str:
    exercise = exercise_by_id(exercise_id)
    text = stub_text(exercise.filename) if stub else (SOLUTIONS_DIR / exercise.filename).read_text()
    for old, new in variant.edits if variant else ():
        assert old in text, f"{variant.name}: the reference changed"
        text = text.replace(old, new)
    return text


def _folder(batch: Path, name: str, files: dict[str, str], below: str = "") -> None:
    for exercise_id, text in files.items():
        path = batch / name / below / exercise_by_id(exercise_id).filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _zip(batch: Path, name: str, files: dict[str, str], below: str = "") -> None:
    with zipfile.ZipFile(batch / f"{name}.zip", "w") as zipped:
        for exercise_id, text in files.items():
            zipped.writestr(f"{below}{exercise_by_id(exercise_id).filename}", text)


def make_class(batch: Path) -> dict[str, dict]:
    """Write the batch; return, per student, what is known of their grade before grading:
    {"scores": {id: points} } when exact, {"wrong": variant} for a corpus mistake."""
    refs = {i: _source(i) for i in IDS}
    stubs = {i: _source(i, stub=True) for i in IDS}
    expected: dict[str, dict] = {}
    _folder(batch, "ref-folder", refs)
    _folder(batch, "ref-nested", refs, below="exercises")
    _zip(batch, "ref-zip", refs)
    _zip(batch, "ref-zip-nested", refs, below="ref/exercises/")
    _folder(
        batch, "REF-FOLDER", {"count_parameters": refs["count_parameters"]}
    )  # differs only in case
    for name in ("ref-folder", "ref-nested", "ref-zip", "ref-zip-nested"):
        expected[name] = {"scores": dict(FULL)}
    expected["REF-FOLDER"] = {
        "scores": {"edge_filter": 0, "count_parameters": FULL["count_parameters"]}
    }
    _folder(batch, "stub-folder", stubs)
    _zip(batch, "stub-zip", stubs, below="stub/")
    (batch / "corrupt.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    (batch / "empty-folder").mkdir()
    _zip(batch, "zip-without-exercises", {}, below="")
    with zipfile.ZipFile(batch / "zip-without-exercises.zip", "a") as zipped:
        zipped.writestr("notes/readme.txt", "I did not finish")
    _folder(batch, "syntax errors everywhere", {i: "def broken(:\n" for i in IDS})
    _folder(batch, "élodie o'brien", {"edge_filter": refs["edge_filter"]})  # odd characters
    for name in (
        "stub-folder",
        "stub-zip",
        "corrupt",
        "empty-folder",
        "zip-without-exercises",
        "syntax errors everywhere",
    ):
        expected[name] = {"scores": {i: 0 for i in IDS}}
    expected["élodie o'brien"] = {
        "scores": {"edge_filter": FULL["edge_filter"], "count_parameters": 0}
    }
    for variant in WRONG_HERE:  # each mistake as a folder; ZIPPED ones also as a zip of a folder
        files = {i: refs[i] for i in IDS}
        files[variant.exercise] = _source(variant.exercise, variant)
        _folder(batch, f"wrong-{variant.name}", files)
        expected[f"wrong-{variant.name}"] = {"wrong": variant}
        if variant in ZIPPED:
            _zip(batch, f"wrong-{variant.name}-zip", files, below=f"{variant.name}/")
            expected[f"wrong-{variant.name}-zip"] = {"wrong": variant}
    return expected


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("class40")
    expected = make_class(root / "batch")
    done = subprocess.run(
        [
            GRADER,
            "grade",
            str(root / "batch"),
            "--out",
            str(root / "out"),
            "--workers",
            "2",  # the last file `-n 2 --dist loadfile` hands out (fewest tests): two at once
            "--junit",
            str(root / "junit.xml"),
            *[a for i in IDS for a in ("--only", i)],
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    return root, expected


def test_the_class_is_big_enough_and_varied():
    assert len(WRONG_HERE) >= 10 and len(ZIPPED) >= 10


def test_every_row_total_feedback_file_and_junit_case(graded_class):
    root, expected = graded_class
    out = root / "out"
    rows = {r["student"]: r for r in csv.DictReader((out / "grades.csv").open(encoding="utf-8"))}
    assert len(rows) == len(expected) >= 30
    assert set(rows) == set(expected)
    book = json.loads((out / "grades.json").read_text())
    by_student = {s["student"]: s for s in book["students"]}
    keys = {e.student: e.key for e in discover(root / "batch")}
    for student, known in expected.items():
        row, record = rows[student], by_student[student]
        scores = {i: float(row[i]) for i in IDS}
        if "scores" in known:
            assert scores == known["scores"], (student, row)
        else:
            variant = known["wrong"]
            other = next(i for i in IDS if i != variant.exercise)
            assert scores[other] == FULL[other], (student, row)
            assert 0 < scores[variant.exercise] < FULL[variant.exercise], (student, row)
            if variant in ZIPPED:
                twin = rows[student[:-4] if student.endswith("-zip") else student + "-zip"]
                assert float(twin[variant.exercise]) == scores[variant.exercise], (
                    "packaging changed a grade"
                )
            failed = [c for c in record["exercises"][variant.exercise]["checks"] if not c["passed"]]
            assert any(c["name"].startswith(variant.check) for c in failed), (student, failed)
        assert float(row["total"]) == sum(scores.values()) == record["total"]
        for exercise_id in IDS:
            mine = record["exercises"][exercise_id]
            assert mine["score"] == scores[exercise_id] == sum(c["score"] for c in mine["checks"])
            assert (
                mine["max_score"]
                == FULL[exercise_id]
                == sum(c["max_score"] for c in mine["checks"])
            )
        feedback = (out / "feedback" / f"{keys[student]}.md").read_text(encoding="utf-8")
        assert feedback.startswith(f"# Feedback for {student}\n")
        assert f"**Total: {row['total']} / {sum(FULL.values())} points**" in feedback
        if "wrong" in known:
            assert known["wrong"].check in feedback
    assert len(list((out / "feedback").glob("*.md"))) == len(expected)
    suites = ElementTree.parse(root / "junit.xml").getroot().findall("testsuite")
    assert sorted(s.get("name") for s in suites) == sorted(expected)
    for suite in suites:
        cases = suite.findall("testcase")
        checks = [
            c for e in by_student[suite.get("name")]["exercises"].values() for c in e["checks"]
        ]
        assert len(cases) == len(checks) == int(suite.get("tests"))
        assert int(suite.get("failures")) + int(suite.get("errors")) + int(
            suite.get("skipped")
        ) == sum(not c["passed"] for c in checks)


def test_broken_submissions_get_a_clear_note(graded_class):
    root, _ = graded_class
    keys = {e.student: e.key for e in discover(root / "batch")}

    def feedback(student: str) -> str:
        return (root / "out" / "feedback" / f"{keys[student]}.md").read_text(encoding="utf-8")

    assert "not a readable zip archive" in feedback("corrupt")
    assert "no exercise files" in feedback("empty-folder")
    assert "no exercise files" in feedback("zip-without-exercises")
    assert "SyntaxError" in feedback("syntax errors everywhere")
    assert keys["ref-folder"].lower() != keys["REF-FOLDER"].lower()


def test_report_lists_every_student_and_the_most_failed_checks(graded_class):
    root, expected = graded_class
    report = (root / "out" / "report.html").read_text(encoding="utf-8")
    keys = {e.student: e.key for e in discover(root / "batch")}
    assert all(f'href="feedback/{key}.md"' in report for key in keys.values())
    assert '<svg id="histogram"' in report
    assert "<script src" not in report and "<link" not in report  # self-contained: nothing fetched
    for variant in WRONG_HERE:
        assert variant.check in report
    # the HTML feedback pages, and real grading's load errors and named mistakes told apart
    assert all(f'href="feedback/{key}.html"' in report for key in keys.values())
    assert all((root / "out" / "feedback" / f"{key}.html").is_file() for key in keys.values())
    loading = report.split('<table id="load-errors">', 1)[1].split("</table>", 1)[0]
    for exercise in IDS:  # one line per exercise of the broken student, none per check
        line = f"syntax errors everywhere</a></td><td>{exercise_by_id(exercise).number:02d}"
        assert loading.count(line) == 1, exercise
    assert "syntax error" in loading and "submission unreadable" in loading
    mistakes = report.split('id="mistakes"', 1)[1].split('id="loading"', 1)[0]
    assert mistakes.count("<details><summary>who</summary>") >= 3
    assert "syntax errors everywhere" not in mistakes


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_report_renders_in_headless_chromium_with_the_histogram(graded_class, tmp_path):
    browser = _chromium()
    if browser is None:
        if os.environ.get("CNN_REQUIRE_CHROMIUM"):
            pytest.fail("chromium is not installed, and CI requires the report's screenshot")
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    from PIL import Image

    root, _ = graded_class
    shot = Path(os.environ.get("CNN_REPORT_SCREENSHOT") or tmp_path / "report.png")
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.unlink(missing_ok=True)
    done = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--hide-scrollbars",
            "--window-size=1200,900",
            f"--screenshot={shot}",
            (root / "out" / "report.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shot.exists(), done.stderr[-2000:]
    pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=np.int16)
    assert pixels.shape == (900, 1200, 3)
    bar = np.array([0x3B, 0x7D, 0xD8])  # the histogram's bars (.bar in the report's style)
    bar_pixels = int((np.abs(pixels - bar).max(axis=2) <= 6).sum())
    assert bar_pixels > 2000, (
        f"the histogram's bars are not visible ({bar_pixels} pixels of their colour)"
    )
    assert len(np.unique(pixels.reshape(-1, 3)[::97], axis=0)) > 20, "the page looks blank"

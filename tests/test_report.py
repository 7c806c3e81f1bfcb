"""report.html and the HTML feedback pages on a class of 34 records built directly (full marks,
partial answers with named mistakes, exercises not attempted, syntax errors, an exception at
import, a worker that could not load a file, unreadable submissions, timeouts, runtime errors,
hostile names), checked as text and in headless Chromium (sorting, filtering, the cell links)."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

from grader.commands.grade import write_gradebook, write_report
from grader.reports.class_summary import mistake_of
from grader.workbook.catalog import load_catalog
from grader.workbook.intake import Entry
from grader.workbook.results import (
    BatchRecord,
    CheckResult,
    ExerciseResult,
    Status,
    SubmissionResult,
)
from tests.chromium import browse, run_harness

CATALOG = load_catalog()
BY_ID = {e.id: e for e in CATALOG}
FLIPPED = "the kernel is flipped: this is cross-correlation's kernel turned 180 degrees."
PADDING = "padding is ignored: the output is the size of a 'valid' convolution."
ZERO_GRAD = "zero_grad is called after backward, so the gradients are always zero."
HOSTILE = ["<script>alert(1)</script>", 'o\'neil "the quote"', "<img src=x onerror=alert(2)>"]


def _checks(exercise_id: str, kind: str, mistake: str | None = None) -> list[CheckResult]:
    e = BY_ID[exercise_id]
    each, names = e.points / 4, [f"{exercise_id}_check_{i}" for i in range(4)]
    fn = e.filename

    def same(status: Status, message: str) -> list[CheckResult]:
        return [CheckResult(n, status, 0.0, each, message) for n in names]

    if kind == "full":
        return [CheckResult(n, Status.PASSED, each, each) for n in names]
    if kind == "na":
        return same(Status.NOT_ATTEMPTED, "f still raises NotImplementedError: not attempted yet")
    if kind == "missing":
        return same(Status.NOT_ATTEMPTED, f"{fn} was not found in the submission, so ...")
    if kind == "syntax":
        return same(Status.ERROR, f"SyntaxError in {fn}, line 3: invalid syntax\nFile ...")
    if kind == "import":
        return same(Status.ERROR, f"ValueError in {fn}, line 1: boom\n  File ...")
    if kind == "worker":
        return same(Status.ERROR, f"loading {fn} failed: the memory limit of 4 GiB was exceeded")
    passed = [CheckResult(n, Status.PASSED, each, each) for n in names[:2]]
    if kind == "timeout":
        return passed + same(Status.TIMEOUT, "the call took longer than 60 s")[2:]
    if kind == "error":
        return passed + same(Status.ERROR, "f raised IndexError: <b>index</b> 3 out of range")[2:]
    message = "Expected: a tensor\nGot: another" + (
        f"\nLikely mistake: {mistake}" if mistake else ""
    )
    wrong = [CheckResult(n, Status.FAILED, 0.0, each, message, mistake or "") for n in names]
    return passed + wrong[2:]  # kind "wrong"


# student -> {exercise: kind or (kind, mistake)}; every exercise not named is "full".
PLAN: dict[str, dict] = {}
for i in range(6):
    PLAN[f"full{i:02d}"] = {}
for i in range(9):  # 9 students flip the kernel (two checks show it: counted once each)
    PLAN[f"flip{i:02d}"] = {"edge_filter": ("wrong", FLIPPED), "train_digits": "na"}
for i in range(4):
    PLAN[f"pad{i:02d}"] = {"edge_filter": ("wrong", PADDING), "training_step": ("wrong", ZERO_GRAD)}
for i in range(3):
    PLAN[f"syntax{i:02d}"] = {"simple_cnn": "syntax", "data": "missing", "evaluate": "missing"}
PLAN["importer"] = {"layer_tweaks": "import"}
PLAN["loadfail"] = {"simple_cnn": "worker"}
PLAN["slow0"] = {"train_digits": "timeout"}
PLAN["slow1"] = {"train_digits": "timeout", "training_step": ("wrong", ZERO_GRAD)}
PLAN["raiser"] = {"edge_filter": "error", "count_parameters": ("wrong", None)}
PLAN["lazy"] = {e.id: "na" for e in CATALOG[2:]}
PLAN[HOSTILE[0]] = {"edge_filter": ("wrong", FLIPPED)}
PLAN[HOSTILE[1]] = {"simple_cnn": "syntax"}
PLAN[HOSTILE[2]] = {"data": "na"}
UNREADABLE = {
    "brokenzip": "broken.zip is not a readable zip archive",
    "nofiles": "no exercise files (NN_<id>.py) were found in this submission",
}


def _record(student: str) -> BatchRecord:
    key = Entry(student, Path(student)).key
    if student in UNREADABLE:
        note = UNREADABLE[student]
        exercises = {
            e.id: ExerciseResult(
                e.id, e.points, [CheckResult("submission", Status.NOT_ATTEMPTED, 0, e.points, note)]
            )
            for e in CATALOG
        }
        return BatchRecord(student, key, SubmissionResult(exercises), list(BY_ID), notes=[note])
    plan = PLAN[student]
    exercises = {}
    for e in CATALOG:
        kind = plan.get(e.id, "full")
        kind, mistake = kind if isinstance(kind, tuple) else (kind, None)
        exercises[e.id] = ExerciseResult(e.id, e.points, _checks(e.id, kind, mistake))
    notes = ["graded exercises/01_edge_filter.py; ignored backup/01_edge_filter.py"] * (
        student == "raiser"
    ) + ["graded 8 files in full00.zip/work/"] * (student == "full00")
    return BatchRecord(student, key, SubmissionResult(exercises), list(BY_ID), notes=notes)


STUDENTS = sorted([*PLAN, *UNREADABLE])
REVIEW = {
    "flags": [
        {
            "student": "raiser",
            "kind": "frame walking",
            "what": "sys._getframe(1)",
            "file": "01_edge_filter.py",
            "line": 7,
        },
        {
            "student": HOSTILE[0],
            "kind": "<b>socket</b>",
            "what": "import socket",
            "file": "02_count_parameters.py",
            "line": None,
        },
    ],
    "similarity": {
        "threshold": 0.8,
        "pairs": [
            {"a": "flip00", "b": "flip01", "score": 0.93, "page": "similarity/flip00__flip01.html"},
            {"a": "pad00", "b": HOSTILE[1], "score": 0.85, "page": "javascript:alert(3)"},
        ],
    },
}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    assert len(STUDENTS) >= 30
    folder = tmp_path_factory.mktemp("report")
    records = {s: _record(s) for s in STUDENTS}
    write_gradebook(folder, records)
    (folder / "review.json").write_text(json.dumps(REVIEW))
    write_report(folder, records)
    return folder


def _report(out: Path) -> str:
    return (out / "report.html").read_text(encoding="utf-8")


def test_mistake_of_is_what_the_check_named_never_a_message_line():
    named = CheckResult("c", Status.FAILED, 0, 1, f"Got: x\nLikely mistake: {FLIPPED}", FLIPPED)
    assert mistake_of(named) == FLIPPED
    # a student's exception may print that line itself: it names nothing
    assert mistake_of(CheckResult("c", Status.ERROR, 0, 1, f"Likely mistake: {FLIPPED}")) is None
    assert mistake_of(CheckResult("c", Status.PASSED, 1, 1, "", FLIPPED)) is None


def _row(report: str, first_cell: str) -> str:
    found = re.search(rf"<tr><td[^>]*>{re.escape(first_cell)}</td>.*?</tr>", report, re.S)
    assert found, first_cell
    return found.group()


def test_per_exercise_counts_are_of_those_who_attempted(out):
    report = _report(out)
    # train_digits: 9 flippers and lazy did not attempt it, nor the two unreadable entries
    row = re.search(r'<tr><td class="n">08</td>.*?</tr>', report, re.S).group()
    cells = re.findall(r'<td class="n">(.*?)</td>', row, re.S)
    attempted, full, failing = (int(c) for c in cells[2:5])
    assert (attempted, full, failing) == (len(STUDENTS) - 12, len(STUDENTS) - 14, 2)
    assert cells[5] == '<a href="#absent-train_digits">12</a>'
    absent = report.split('id="absent-train_digits"', 1)[1].split("<h3", 1)[0]
    assert f"12 of {len(STUDENTS)} students did not attempt it" in absent and ">lazy</a>" in absent
    assert 'brokenzip</a> <span class="muted small">(submission unreadable)' in absent
    mean = float(cells[6])  # 2 timeouts score half of 20 points, the rest 20: of attempters only
    assert mean == pytest.approx((attempted * 20 - 2 * 10) / attempted, abs=0.01)
    assert cells[7] == "20"
    assert row.count('<svg class="mini"') == 1


def test_mistakes_are_counted_by_student_not_by_check(out):
    report = _report(out)
    edge = report.split('id="mistakes-edge_filter"', 1)[1].split("<h3", 1)[0]
    assert re.search(rf"{re.escape(html.escape(FLIPPED))}</td><td class=\"n\">10</td>", edge)
    assert re.search(rf"{re.escape(html.escape(PADDING))}</td><td class=\"n\">4</td>", edge)
    step = report.split('id="mistakes-training_step"', 1)[1].split("<h3", 1)[0]
    assert re.search(rf"{re.escape(html.escape(ZERO_GRAD))}</td><td class=\"n\">5</td>", step)
    # the overview: each exercise's most common one, with its count
    top = report.split('<table id="top-mistakes">', 1)[1].split("</table>", 1)[0]
    assert re.search(rf"{re.escape(html.escape(FLIPPED))}</td><td class=\"n\">10</td>", top)
    flipped = edge.split(html.escape(FLIPPED), 1)[1].split("</tr>", 1)[0]
    assert "<details><summary>who</summary>" in flipped and "flip08" in flipped


def test_load_errors_are_one_line_per_student_and_exercise_apart_from_wrong_answers(out):
    report = _report(out)
    table = report.split('<table id="load-errors">', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tr>")[2:]
    assert len(rows) == 3 + 1 + 1 + 1 + 2  # syntax x3 + hostile syntax, import, worker, 2 entries
    kinds = [re.findall(r"<td>(.*?)</td>", r)[2] for r in rows]
    assert kinds.count("syntax error") == 4 and kinds.count("submission unreadable") == 2
    assert kinds.count("error at import") == 1
    assert kinds.count("the worker could not load the file") == 1
    assert "simple_cnn_check_0" not in report.split('id="mistakes"')[1].split('id="loading"')[0]
    assert "not a readable zip archive" in table and "all exercises" in table


def test_runtime_errors_timeouts_and_notes_are_listed(out):
    table = _report(out).split('<table id="trouble">', 1)[1].split("</table>", 1)[0]
    assert "08 train_digits: 2 timeouts" in table and "01 edge_filter: 2 errors" in table
    assert "ignored backup/01_edge_filter.py" in table
    assert "syntax00" not in table  # a load error is listed apart
    # a student with a note and no trouble is folded below, apart
    assert "full00" not in table
    notes = _report(out).split('<table id="notes">', 1)[1].split("</table>", 1)[0]
    assert "graded 8 files in full00.zip/work/" in notes and "raiser" not in notes


def test_hostile_names_and_messages_are_escaped(out):
    texts = [_report(out)] + [p.read_text(encoding="utf-8") for p in out.glob("feedback/*.html")]
    for text in texts:
        for raw in ("<script>alert", "<img", "<b>index", "<b>socket", "javascript:"):
            assert raw not in text, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _report(out)


def test_integrity_section_lists_flags_and_pairs_or_says_none_were_computed(out, tmp_path):
    report = _report(out)
    section = report.split('id="integrity"', 1)[1]
    assert "for review, not a penalty" in report
    assert "sys._getframe(1)" in section and "01_edge_filter.py, line 7" in section
    assert 'href="similarity/flip00__flip01.html"' in section and "0.93" in section
    assert "threshold 0.8" in section
    records = {s: _record(s) for s in STUDENTS[:3]}
    write_report(tmp_path, records)
    assert "None were computed" in (tmp_path / "report.html").read_text()
    (tmp_path / "review.json").write_text("{not json")
    write_report(tmp_path, records)
    assert "review.json could not be read" in (tmp_path / "report.html").read_text()


def test_feedback_pages_sit_beside_the_markdown_with_an_anchor_per_exercise(out):
    for student in STUDENTS:
        key = Entry(student, Path(student)).key
        page = (out / "feedback" / f"{key}.html").read_text(encoding="utf-8")
        assert (out / "feedback" / f"{key}.md").exists()
        assert all(f'id="ex-{e.id}"' in page for e in CATALOG)
    page = (out / "feedback" / "flip03.html").read_text(encoding="utf-8")
    assert html.escape(FLIPPED) in page and "Hint:" in page
    # a message as the run made it (a graded run redacts hidden checks there), its cause once
    assert page.count("Expected: a tensor") == 1


# Run inside a copy of a page, after its own script: press buttons, type in the filter, and
# write what the page then shows into <pre id="harness"> for --dump-dom to carry out.
HARNESS = r"""<script>
(function(){
var out={alerts:window.__alerts.length},t=document.getElementById('heat');
function names(){return Array.prototype.map.call(t.tBodies[0].rows,function(r){
 return r.getAttribute('data-name');});}
function column(c){return Array.prototype.map.call(t.tBodies[0].rows,function(r){
 return r.cells[c].getAttribute('data-v');});}
var heads=t.tHead.rows[0].cells;out.rows=t.tBodies[0].rows.length;
out.cells=t.querySelectorAll('tbody td.c').length;out.columns=heads.length;
out.links=Array.prototype.map.call(t.querySelectorAll('tbody td.c a'),function(a){
 return a.getAttribute('href');});
var b=heads[8].querySelector('button');b.focus();out.focused=document.activeElement===b;
out.before=names();b.click();out.ascending=column(8);out.ascendingNames=names();
out.sort1=heads[8].getAttribute('aria-sort');b.click();out.descending=column(8);
out.sort2=heads[8].getAttribute('aria-sort');
heads[heads.length-1].querySelector('button').click();out.totals=column(heads.length-1);
heads[0].querySelector('button').click();out.byName=names();
var box=document.getElementById('filter');box.value='FLIP0';box.dispatchEvent(new Event('input'));
out.filtered=Array.prototype.filter.call(t.tBodies[0].rows,function(r){return !r.hidden;})
 .map(function(r){return r.getAttribute('data-name');});
out.shown=document.getElementById('shown').textContent;
var pre=document.createElement('pre');pre.id='harness';pre.textContent=JSON.stringify(out);
document.body.appendChild(pre);})();
</script>"""


def test_heat_map_sorts_filters_and_links_in_chromium(out, tmp_path):
    seen = run_harness(out / "report.html", tmp_path / "profile", HARNESS)
    exercises = len(CATALOG)
    assert seen["alerts"] == 0  # no hostile name ran as script
    assert seen["rows"] == len(STUDENTS) and seen["columns"] == exercises + 2
    assert seen["cells"] == len(STUDENTS) * exercises
    assert seen["focused"]  # the header's sort control takes the keyboard's focus
    ascending = [float(v) for v in seen["ascending"]]
    # sorted by exercise 08 (train_digits): who did not attempt it first, numerically
    assert ascending == sorted(ascending) and ascending[:10] == [-1] * 10
    assert seen["sort1"] == "ascending" and seen["sort2"] == "descending"
    assert [float(v) for v in seen["descending"]] == sorted(ascending, reverse=True)
    # stable: students with equal scores keep the order they had before the press
    tied = [n for n, v in zip(seen["ascendingNames"], ascending) if v == 20]
    assert tied == [n for n in seen["before"] if n in tied]
    assert [float(v) for v in seen["totals"]] == sorted(float(v) for v in seen["totals"])
    assert seen["byName"] == sorted(seen["byName"])
    assert seen["filtered"] == [f"flip{i:02d}" for i in range(9)]
    assert seen["shown"] == f"9 of {len(STUDENTS)} students shown"
    # every cell opens a page that exists, at an anchor that page has
    for link in seen["links"]:
        target, anchor = link.split("#")
        assert f'id="{anchor}"' in (out / target).read_text(encoding="utf-8"), link


FEEDBACK_HARNESS = r"""<script>
(function(){var out={alerts:window.__alerts.length,h1:document.querySelector('h1').textContent,
anchor:!!document.getElementById('ex-simple_cnn'),scripts:document.scripts.length};
var pre=document.createElement('pre');pre.id='harness';pre.textContent=JSON.stringify(out);
document.body.appendChild(pre);})();
</script>"""


def test_a_hostile_students_feedback_page_reads_as_text_in_chromium(out, tmp_path):
    key = Entry(HOSTILE[0], Path("x")).key
    report = _report(out)
    assert f'href="feedback/{key}.html#ex-simple_cnn"' in report
    seen = run_harness(out / "feedback" / f"{key}.html", tmp_path / "p", FEEDBACK_HARNESS)
    assert seen == {"alerts": 0, "h1": f"Feedback for {HOSTILE[0]}", "anchor": True, "scripts": 2}


def test_screenshot_of_the_report(out, tmp_path):
    """A full-page picture (CI keeps it beside the graded class's): enough of it is not white."""
    from PIL import Image

    wanted = os.environ.get("CNN_REPORT_SCREENSHOT")
    shot = Path(wanted).with_name(Path(wanted).stem + "-fixture.png") if wanted else None
    shot = shot or tmp_path / "report.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.unlink(missing_ok=True)
    done = browse(
        out / "report.html",
        tmp_path / "profile",
        "--hide-scrollbars",
        "--window-size=1280,2600",
        f"--screenshot={shot}",
    )
    assert shot.exists(), done.stderr[-2000:]
    pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=np.int16)
    dark_blue = int((np.abs(pixels - np.array([0x21, 0x66, 0xAC])).max(axis=2) <= 4).sum())
    assert dark_blue > 5000, f"the heat map's full-marks cells are missing ({dark_blue} pixels)"

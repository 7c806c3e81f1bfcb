"""The review after grading: integrity flags on code that reaches for the grader (and none on the
references, the stubs, the corpus's honest answers or independent solutions), flags from how
workers ended, similarity that finds a renamed copy and not an independent solution nor two
untouched stubs, pages that escape hostile text, bounds on hostile files, and `grader grade`
writing OUT/review.json in its fixed shape."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.review.build import build_review
from grader.review.outcomes import outcome_findings
from grader.review.pages import page_name, similarity_page
from grader.review.scan import SCAN_BYTES, scan_source
from grader.review.similarity import similar_pairs
from grader.workbook.catalog import load_catalog
from grader.workbook.intake import discover
from grader.workbook.paths import SOLUTIONS_DIR
from grader.workbook.results import (
    BatchRecord,
    CheckResult,
    ExerciseResult,
    Status,
    SubmissionResult,
)
from tests.attacks import ATTACKS, FORGED_FRAMES, HONEST_BROKEN_IMPORT, HONEST_WRONG
from tests.corpus import CORRECT, WRONG
from tests.helpers import stub_text
from tests.review_class import INDEPENDENT, renamed, variant_source
from tests.verdict_attacks import CAPPED, VERDICTS

EXERCISES = list(load_catalog())
STARTERS = {e.id: stub_text(e.filename) for e in EXERCISES}
NAMES = {e.id: e.filename for e in EXERCISES}
EDGE, COUNT = "01_edge_filter.py", "02_count_parameters.py"
PLACES = dict(
    project="/srv/project",
    victim="/srv/victim",
    marker="m",
    port="9",
    unix="/tmp/u",
    unix_dgram="/tmp/d",
    sockets="['/tmp/s']",
    scratch="/tmp/x",
    limit="1",
)
# Measured: these attacks of tests/attacks.py leave no trace a static scan can tell from honest
# code (they return NaN, print, write in their own folder, or open a path given as data).
UNSEEN = {
    "nan_for_a_number",
    "fake_passed_output_and_results",
    "overwrites_project_files",
    "reads_another_submission",
    "stdout_flood_300_mb",
    "sees_outside_its_view",
    "disk_filler",
    "huge_return_value",
}


def kinds(source: str) -> set[str]:
    return {f.kind for f in scan_source(source.encode()).findings}


# -- the static scan -----------------------------------------------------------------------------


@pytest.mark.parametrize("attack", ATTACKS + FORGED_FRAMES, ids=lambda a: a.name)
def test_attacks_that_reach_for_the_grader_are_flagged(attack):
    found = scan_source(attack.source(**PLACES).encode()).findings
    if attack.name in UNSEEN:
        assert not found, found
    else:
        assert found, attack.name
        assert all(f.line and f.what for f in found)


@pytest.mark.parametrize("verdict", VERDICTS + CAPPED, ids=lambda v: v.name)
def test_attacks_on_the_verdicts_are_flagged_and_their_honest_answers_not(verdict):
    assert not scan_source(verdict.honest().encode()).findings
    found = scan_source(verdict.source("/srv/project").encode()).findings
    # NaN scores, a deep copy of the model, forward hooks: honest-looking code, nothing to flag
    plain = ("nan_scores", "deepcopy_in_training_mode", "buffers_put_back_in_training_mode")
    assert bool(found) is (verdict.name not in plain), found


def test_the_flag_names_what_and_where():
    source = (
        "import sys\nimport numpy as np\nfrom os import kill\n\n"
        "def f():\n    frame = sys._getframe(1)\n    np.allclose = lambda *a: True\n"
        "    kill(1, 9)\n    return frame.f_back.f_locals\n"
    )
    found = {(f.kind, f.what, f.line) for f in scan_source(source.encode()).findings}
    assert ("frames", "uses sys._getframe", 6) in found
    assert ("patching", "assigns numpy.allclose", 7) in found
    assert ("process", "uses os.kill", 8) in found
    assert ("frames", "reads a frame's f_back", 9) in found


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("import grader.wire.frames\n", "grader_module"),
        ("from solutions import x\n", "grader_module"),
        ("import checks.probes.data as d\n", "grader_module"),
        ("import trusted_probes\n", "grader_module"),
        ("import sys\nx = sys.modules['checks']\n", "sys_modules"),
        ("import sys\nfor m in sys.modules.values():\n    pass\n", "sys_modules"),
        ("import workbook_driver\n", "grader_module"),
        ("import rules_edge_filter\n", "grader_module"),
        ("import driver_train_digits\n", "grader_module"),
        ("def f(m):\n    type(m).forward = lambda self, x: x\n", "patching"),
        ("import inspect\ndef f():\n    return inspect.stack()\n", "frames"),
        ("import gc\ngc.get_referrers(1)\n", "frames"),
        ("open('/proc/self/status')\n", "proc_fs"),
        ("import ctypes\nctypes.CDLL(None)\n", "native_code"),
        ("import cffi\ncffi.FFI()\n", "native_code"),
        ("import socket as s\ns.socket()\n", "network"),
        ("import subprocess\nsubprocess.run(['ls'])\n", "process"),
        ("import os\nos.fork()\n", "process"),
        ("import torch\ntorch.Tensor.__eq__ = lambda *a: True\n", "patching"),
        ("from torch import nn\nnn.Module.__call__ = None\n", "patching"),
        ("import builtins\nbuiltins.print = len\n", "patching"),
        ("__builtins__['len'] = max\n", "patching"),
        ("import time\ntime.time = lambda: 0\n", "patching"),
        ("import torch\nsetattr(torch, 'equal', lambda *a: True)\n", "patching"),
        ("m = __import__('subprocess')\n", "process"),
        ("import sys\ngetattr(sys, '_getframe')(0)\n", "frames"),
        ("class A:\n    def __eq__(self, o):\n        return True\n", "comparison_trick"),
        ("import base64\nw = base64.b64decode(W)\n", "embedded_data"),
        ("import numpy as np\nw = np.frombuffer(b, dtype=np.float32)\n", "embedded_data"),
        ("import torch, io\nm.load_state_dict(torch.load(io.BytesIO(b)))\n", "embedded_data"),
        ("import pickle\nstate = pickle.loads(b)\n", "embedded_data"),
        ("from zlib import decompress\nx = decompress(b)\n", "embedded_data"),
        ("W = '" + "QUJD" * 1200 + "'\n", "embedded_data"),
        ("W = [" + ", ".join(["0.5"] * 2500) + "]\n", "embedded_data"),
    ],
)
def test_each_rule(source, kind):
    assert kind in kinds(source)


def test_unused_imports_and_settings_are_not_flagged():
    assert not kinds("import os, sys, socket, subprocess\nx = os.path.join('a', 'b')\n")
    assert not kinds("import torch\ntorch.backends.cudnn.deterministic = True\n")
    assert not kinds("import torch\nmodel = torch.nn.Linear(2, 2)\nmodel.weight.data = 0\n")


def test_no_flag_on_references_stubs_or_independent_solutions():
    paths = [*SOLUTIONS_DIR.glob("*.py"), *INDEPENDENT.rglob("*.py")]
    assert len(paths) >= 18
    flagged = {str(p): scan_source(p.read_bytes()).findings for p in paths}
    flagged |= {
        f"stub {e.filename}": scan_source(STARTERS[e.id].encode()).findings for e in EXERCISES
    }
    assert not any(flagged.values()), flagged


@pytest.mark.parametrize("variant", WRONG + CORRECT, ids=lambda v: f"{v.exercise}-{v.name}")
def test_no_flag_on_the_corpus(variant):
    scan = scan_source(variant_source(variant.exercise, variant.edits).encode())
    assert not scan.findings and not scan.notes


def test_no_flag_on_the_honest_controls_of_the_attacks():
    for honest in (HONEST_WRONG, HONEST_BROKEN_IMPORT):
        assert not scan_source(honest.source(**PLACES).encode()).findings


def test_weights_trained_elsewhere_are_flagged_whatever_their_size():
    """Issue 21: a model's weights as base64 in the file. Over the scan's bound the file's size is
    the flag (the literal is cut there); under it, the literal and its decoding."""
    load = (
        "import base64, io, torch\nm.load_state_dict(torch.load(io.BytesIO(base64.b64decode(W))))\n"
    )
    for weights in ("QUJD" * 36_000, "QUJD" * 10_000):
        scan = scan_source(f"W = '{weights}'\n{load}".encode())
        found = {f.kind for f in scan.findings}
        assert found == {"embedded_data"}, scan.findings
        assert len(scan.findings) == (1 if len(weights) > SCAN_BYTES else 3), scan.findings


def test_a_file_that_does_not_parse_is_scanned_by_tokens():
    scan = scan_source(b"import sys\ndef f(:\n    return sys._getframe(1).f_back\n")
    assert {(f.kind, f.line) for f in scan.findings} == {("frames", 3)}
    assert any("does not parse" in n for n in scan.notes)


def test_a_coding_cookie_hides_nothing():
    # Python reads this file as UTF-7: "+AAo-" is a line break, so the import runs.
    scan = scan_source(b"# coding: utf-7\nx = 1 +AAo-import grader.wire.frames\n")
    assert [f.kind for f in scan.findings] == ["grader_module"]


def test_huge_non_utf8_and_deeply_nested_files_are_bounded():
    # intake reads 2 MB of a file at most; the scan reads its first SCAN_BYTES (a 2 MB file of
    # short statements took 45 s to parse and scan whole on this machine under load)
    huge = b"import os\nos.fork()\n" + b"x = 1\n" * (2 * 1024**2 // 6) + b"os.kill(1, 9)\n"
    started = time.monotonic()
    scan = scan_source(huge)
    assert time.monotonic() - started < 20
    size = f"is {len(huge):,} bytes long (data in the file: no answer is near that size)"
    assert [f.what for f in scan.findings] == [size, "uses os.fork"]  # os.kill: past the bound
    assert any(f"only the first {SCAN_BYTES // 1024} KiB scanned" in n for n in scan.notes)
    scan = scan_source(b"import os\nx = '\xff\xfe'\nos._exit(0)\n")
    assert [f.line for f in scan.findings] == [3]
    assert any("not valid UTF-8" in n for n in scan.notes)
    for nested in (b"x = " + b"-" * 200_000 + b"1\n", b"x = " + b"(" * 100_000 + b"\n"):
        scan_source(nested)  # never raises: a parser or tokenizer error is a note


# -- flags from the results ----------------------------------------------------------------------


def record(student: str, *messages: tuple[Status, str]) -> BatchRecord:
    checks = [CheckResult(f"c{i}", s, 0.0, 1.0, m) for i, (s, m) in enumerate(messages)]
    result = SubmissionResult({"count_parameters": ExerciseResult("count_parameters", 12, checks)})
    return BatchRecord(student, student, result, ["count_parameters"])


def test_workers_killed_or_over_a_limit_are_flagged_once_per_exercise():
    crashed = record(
        "x",
        (Status.ERROR, "f: the process running your code was killed by SIGSEGV (a crash...)"),
        (Status.ERROR, "g: the process running your code was killed by SIGSEGV (a crash...)"),
        (Status.ERROR, "the memory limit of 4 GiB was exceeded in f (MemoryError: )"),
        (Status.ERROR, "loading 02_count_parameters.py failed: the process running your code "
                       "exited with code 0 (did your code call exit()?)"),
    )  # fmt: skip
    found = [(file, f.kind, f.what) for file, f in outcome_findings(crashed, EXERCISES)]
    assert found == [
        (COUNT, "killed", "its worker was killed by SIGSEGV (c0)"),
        (COUNT, "limit", "its worker hit the memory limit of 4 GiB (c2)"),
        (COUNT, "worker_ended", "its worker exited with code 0 (c3)"),
    ]


def test_timeouts_and_wrong_answers_are_not_flagged():
    honest = record(
        "y",
        (Status.TIMEOUT, "f did not finish within the time limit of 10 s (an endless loop?)"),
        (Status.FAILED, "linear_param_count(3, 4) returned -1, expected 16"),
        (Status.PASSED, ""),
    )
    assert outcome_findings(honest, EXERCISES) == []


# -- similarity ----------------------------------------------------------------------------------


def reference(name: str) -> str:
    return (SOLUTIONS_DIR / name).read_text()


def pairs(texts: dict[str, dict[str, str]], threshold: float = 0.5) -> dict:
    return {(p.a, p.b): p for p in similar_pairs(texts, STARTERS, NAMES, threshold).pairs}


def test_a_renamed_copy_is_found_and_an_independent_solution_is_not():
    texts = {
        "ann": {"edge_filter": reference(EDGE)},
        "ben": {"edge_filter": renamed(reference(EDGE), "ben")},
        "cat": {"edge_filter": (INDEPENDENT / "independent_a" / EDGE).read_text()},
        "dan": {"edge_filter": (INDEPENDENT / "independent_b" / EDGE).read_text()},
    }
    found = pairs(texts)
    assert list(found) == [("ann", "ben")]
    assert found[("ann", "ben")].score >= 0.7
    assert found[("ann", "ben")].files[0].spans[0]  # regions to highlight
    assert not pairs(texts, 0.3).keys() - {("ann", "ben")}


def test_starter_code_is_ignored():
    stub = STARTERS["edge_filter"]
    texts = {"eve": {"edge_filter": stub}, "fay": {"edge_filter": stub + "\n# done\n"}}
    assert pairs(texts, 0.01) == {}
    # a file that is the stub with one function filled in is compared on that function only
    own = stub.replace("    # TODO\n    raise NotImplementedError", "    return image * 2", 1)
    texts = {"eve": {"edge_filter": own}, "fay": {"edge_filter": own}}
    assert pairs(texts, 0.01) == {}  # too little of their own to compare


def test_pages_escape_hostile_names_and_code_and_have_safe_names():
    hostile_id = "<img src=x onerror=alert(1)>"
    code = reference(EDGE) + '\n# </pre><script>alert("code")</script>\n'
    found = pairs({hostile_id: {"edge_filter": code}, "plain": {"edge_filter": code}})
    page = similarity_page(next(iter(found.values())), 0.5)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/pre&gt;&lt;script&gt;" in page
    assert page_name("a", "b") == "similarity/a__b.html"
    assert page_name("a__b", "c") != page_name("a", "b__c")


def test_the_review_of_a_class_reads_hostile_files_within_bounds(tmp_path):
    batch = tmp_path / "batch"
    for student, data in {
        "big": b"import os\nos.fork()\n" + b"#" * 3 * 1024**2,  # past intake's 2 MB: unread
        "latin": b"x = '\xe9'\nimport ctypes\nctypes.CDLL(None)\n",
        "fine": reference(COUNT).encode(),
    }.items():
        (batch / student).mkdir(parents=True)
        (batch / student / COUNT).write_bytes(data)
    entries = discover(batch)
    records = {e.student: BatchRecord(e.student, e.key, SubmissionResult({}), []) for e in entries}
    review = build_review(entries, records, EXERCISES, 0.5)
    assert [(f["student"], f["kind"], f["line"]) for f in review.data["flags"]] == [
        ("latin", "native_code", 3)
    ]
    assert review.data["similarity"]["pairs"] == []


# -- from `grader grade` -------------------------------------------------------------------------

GRADER = str(Path(sys.executable).with_name("grader"))


def test_grade_writes_the_review(tmp_path):
    batch = tmp_path / "batch"
    hostile = "<b>o'neil<b>"
    files = {
        "alice": {EDGE: reference(EDGE), COUNT: reference(COUNT)},
        hostile: {EDGE: renamed(reference(EDGE), "copy")},
        "carol": {EDGE: STARTERS["edge_filter"], COUNT: STARTERS["count_parameters"]},
        "dave": {EDGE: (INDEPENDENT / "independent_a" / EDGE).read_text()},
        "erin": {COUNT: next(a for a in ATTACKS if a.name == "kills_the_grader").source(**PLACES)},
        "fred": {COUNT: next(a for a in ATTACKS if a.name == "os_exit_zero_at_import").source()},
    }
    for student, by_name in files.items():
        (batch / student).mkdir(parents=True)
        for name, text in by_name.items():
            (batch / student / name).write_text(text)
    out = tmp_path / "out"
    only = ["--only", "edge_filter", "--only", "count_parameters"]
    done = subprocess.run(
        [GRADER, "grade", str(batch), "--out", str(out), *only, "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "wrote review.json" in done.stderr
    review = json.loads((out / "review.json").read_text())
    assert set(review) >= {"flags", "similarity"}
    for flag in review["flags"]:
        assert set(flag) == {"student", "kind", "what", "file", "line"}
    flags = {(f["student"], f["kind"], f["file"], f["line"]) for f in review["flags"]}
    assert ("erin", "process", COUNT, 22) in flags  # os.kill, at its line
    assert ("erin", "proc_fs", COUNT, 16) in flags
    assert ("fred", "process", COUNT, 3) in flags  # os._exit at import
    assert ("fred", "worker_ended", COUNT, None) in flags  # and how its worker ended
    assert {f["student"] for f in review["flags"]} == {"erin", "fred"}
    similarity = review["similarity"]
    assert similarity["threshold"] == 0.5
    # erin's and fred's files are the same attack template, alike but for a line or two; the
    # template holds the reference's count_parameters and conv2d_param_count as they are, and
    # fred's adds one line at import: the share of the reference found in it lists alice too
    pairs = {(p["a"], p["b"]) for p in similarity["pairs"]}
    assert pairs == {(hostile, "alice"), ("erin", "fred"), ("alice", "fred")}
    pair = next(p for p in similarity["pairs"] if p["b"] == "alice")
    assert set(pair) >= {"a", "b", "score", "page"} and pair["score"] >= 0.7
    grades = json.loads((out / "grades.json").read_text())
    keys = {row["student"]: Path(row["feedback"]).stem for row in grades["students"]}
    assert pair["page"] == f"similarity/{keys[hostile]}__alice.html"
    page = (out / pair["page"]).read_text()
    assert "<b>o'neil" not in page and "&lt;b&gt;o&#x27;neil&lt;b&gt;" in page
    assert "<mark>" in page
    assert [row["total"] for row in grades["students"] if row["student"] == "alice"] == [37]

    # --no-review: the same run's results resumed (nothing graded again), the gradebook written
    again = tmp_path / "again"
    shutil.copytree(out / ".results", again / ".results")
    shutil.copy(out / "grading.key", again / "grading.key")
    done = subprocess.run(
        [GRADER, "grade", str(batch), "--out", str(again), *only, "--resume", "--no-review"]
        + ["--workers", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert f"grading 0 of {len(files)}" in done.stderr, done.stderr
    assert (again / "grades.json").read_text() == (out / "grades.json").read_text()
    assert not (again / "review.json").exists() and not (again / "similarity").exists()

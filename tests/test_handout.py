"""`grader export student`: a handout that holds no answers, whose own `grader check` (run from the
handout, as a learner runs it) grades as the full project does on the public inputs.

One handout for the module, recorded from the references and a sample of the corpus (the full
export records every variant: docs/instructors.md, "The handout")."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from grader.checking.compare import CheckFailure
from grader.checking.expected import NOT_AVAILABLE, REPLAY, Expected
from grader.exports.handout import HandoutError, build_handout
from grader.workbook.catalog import exercise_by_id, load_catalog
from grader.workbook.grading_key import write_key_file
from grader.workbook.paths import PROJECT_ROOT, SOLUTIONS_DIR
from tests.corpus import WRONG
from tests.helpers import write, write_stubs

SAMPLE = {  # one or two named mistakes per exercise whose values are recorded
    "edge_filter/no_sqrt",
    "simple_cnn/no_relu_after_fc1",
    "layer_tweaks/relu_ignored",
    "training_step/no_zero_grad",
    "training_step/epoch_mean_of_batch_means",
    "evaluate/accuracy_fraction",
    "evaluate/confusion_transposed",
}
ANSWER_FUNCTIONS = ("train_steps", "sgd_expected", "gradients", "train_epoch")
IDIOMS = {"for name, p in model.named_parameters()"}  # any code over a model's parameters has it


@pytest.fixture(scope="module")
def handout(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("handout")
    started = time.monotonic()
    done = build_handout(root / "student", stubs=write_stubs(root / "stubs"), sample=SAMPLE)
    print(f"handout: {done} ({time.monotonic() - started:.1f} s)")
    return root / "student"


def grader(project: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """`python -m grader ARGS` run from `project`: the grader package of that copy."""
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def checked(project: Path, submission: Path, *ids: str) -> dict:
    run = grader(project, "check", "--json", "--submission", str(submission), *ids)
    assert run.returncode in (0, 1), run.stderr[-3000:]
    return json.loads(run.stdout)


def checked_here(submission: Path, *ids: str) -> dict:
    """What `checked(PROJECT_ROOT, ...)` prints, from `grader check`'s own function in this
    process (the full project's grader is the one imported here): no torch imported per call."""
    from grader.commands.check import chosen_exercises, grade_submission
    from grader.reports.causes import exercise_json

    result = grade_submission(submission, chosen_exercises(ids))
    return {"exercises": {i: exercise_json(e) for i, e in result.exercises.items()}}


def _texts(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _trusted_model_lines() -> set[str]:
    """The driver's TrustedSimpleCNN (the tutorial's SimpleCNN, which the stub's docstring spells
    out layer by layer), which trace_shapes is checked on in the worker: shipped, by design."""
    source = (exercise_by_id("simple_cnn").folder / "driver.py").read_text()
    node = next(n for n in ast.parse(source).body if getattr(n, "name", "") == "TrustedSimpleCNN")
    return {line.strip() for line in ast.get_source_segment(source, node).splitlines()}


def test_the_handout_holds_no_answer(handout):
    files = _texts(handout)
    assert not any(name.startswith(("solutions/", "tests/", "bench/")) for name in files)
    assert not [name for name in files if name.endswith(("/oracle.py", "/corpus.txt"))]
    assert any(name.endswith("/inputs.py") for name in files)  # the test above sees folders
    assert not [name for name in files if name.endswith(".key")]  # no grading key
    # the stubs, the hints and the spec are the learner's by design
    public = b"".join(d for n, d in files.items() if n.startswith("exercises/"))
    public = (public + files["workbook.toml"] + files["docs/spec.md"]).decode()
    allowed = _trusted_model_lines() | IDIOMS
    looked_for = 0
    for exercise in load_catalog():
        for line in (SOLUTIONS_DIR / exercise.filename).read_text().splitlines():
            line = line.strip()
            if len(line) < 25 or line.startswith("#") or line in public:
                continue
            if line in allowed:
                continue
            looked_for += 1
            found = [name for name, data in files.items() if line.encode() in data]
            assert not found, f"{exercise.filename}: {line!r} is in {found}"
    oracle = (exercise_by_id("training_step").folder / "oracle.py").read_text()
    checks = "".join(p.read_text() for p in (PROJECT_ROOT / "checks").glob("*/check_*.py"))
    for node in ast.parse(oracle).body:
        if getattr(node, "name", "") in ANSWER_FUNCTIONS:
            for line in ast.get_source_segment(oracle, node).splitlines()[1:]:
                if len(line.strip()) >= 25 and line.strip() not in checks:  # the oracle's own
                    looked_for += 1
                    found = [n for n, d in files.items() if line.strip().encode() in d]
                    assert not found, f"oracle line {line.strip()!r} is in {found}"
    assert looked_for > 60  # the search had something to find


def test_the_expected_values_are_plain_data(handout):
    files = sorted((handout / "checks" / "expected").glob("*.pt"))
    assert {p.stem for p in files} == {
        "edge_filter",
        "simple_cnn",
        "layer_tweaks",
        "training_step",
        "evaluate",
    }
    for path in files:
        entries = torch.load(path, weights_only=True)  # refuses anything but plain data
        assert entries and all(isinstance(v, list) and v for v in entries.values())


def test_the_handouts_grader_finds_its_own_root(handout):
    code = (
        "from grader.workbook.paths import PROJECT_ROOT, is_handout; "
        "print(PROJECT_ROOT, is_handout())"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=handout, capture_output=True, text=True, timeout=60
    )
    assert run.stdout.split() == [str(handout), "True"], run.stderr


def test_the_references_earn_full_points_in_the_handout(handout, tmp_path):
    """Every exercise: 08 trains for real, once, on the handout's own measures."""
    for path in SOLUTIONS_DIR.glob("[0-9][0-9]_*.py"):
        shutil.copyfile(path, tmp_path / path.name)
    data = checked(handout, tmp_path)
    for exercise_id, result in data["exercises"].items():
        assert result["score"] == result["max_score"], (exercise_id, result["checks"])
    assert data["total"] == data["max_total"] == sum(e.points for e in load_catalog())


def test_the_stubs_are_not_attempted_in_the_handout(handout):
    data = checked(handout, handout / "exercises")
    assert data["total"] == 0
    assert {r["status"] for r in data["exercises"].values()} == {"not attempted"}


def _variant_folders(tmp_path: Path) -> list[tuple[Path, list[str]]]:
    """The sample's variants, at most one per exercise in each folder."""
    folders: list[tuple[Path, list[str]]] = []
    for variant in WRONG:
        if f"{variant.exercise}/{variant.name}" not in SAMPLE:
            continue
        target = next((f for f in folders if variant.exercise not in f[1]), None)
        if target is None:
            target = (tmp_path / f"sample_{len(folders)}", [])
            target[0].mkdir()
            folders.append(target)
        exercise = exercise_by_id(variant.exercise)
        source = (SOLUTIONS_DIR / exercise.filename).read_text()
        for old, new in variant.edits:
            assert old in source, variant.name
            source = source.replace(old, new)
        (target[0] / exercise.filename).write_text(source)
        target[1].append(variant.exercise)
    return folders


def test_corpus_mistakes_grade_as_in_the_full_project(handout, tmp_path):
    """Each sampled mistake loses the same points, check by check, with the same message (and so
    the same named mistake) in the handout as in the full project."""
    compared = 0
    for folder, ids in _variant_folders(tmp_path):
        here = checked(handout, folder, *ids)["exercises"]
        full = checked_here(folder, *ids)["exercises"]
        for exercise_id in ids:
            assert full[exercise_id]["score"] < full[exercise_id]["max_score"], exercise_id
            mine = [(c["name"], c["score"], c["message"]) for c in here[exercise_id]["checks"]]
            theirs = [(c["name"], c["score"], c["message"]) for c in full[exercise_id]["checks"]]
            assert mine == theirs, exercise_id
            compared += 1
    assert compared == len(SAMPLE)


def _simple_cnn(handout: Path, tmp_path: Path, edit) -> dict:
    """The reference SimpleCNN with its __init__'s lines edited, checked in the handout and in the
    full project: {"handout": checks by name, "full": the exercise's result}."""
    lines = (SOLUTIONS_DIR / "03_simple_cnn.py").read_text().splitlines(keepends=True)
    write(tmp_path, "simple_cnn", "".join(edit(lines)))
    handout_checks = checked(handout, tmp_path, "simple_cnn")["exercises"]["simple_cnn"]
    return {
        "handout": {c["name"]: c for c in handout_checks["checks"]},
        "full": checked_here(tmp_path, "simple_cnn")["exercises"]["simple_cnn"],
    }


def _line(lines: list[str], start: str) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(start))


def test_parameters_never_recorded_are_replaced_by_recorded_ones(handout, tmp_path):
    """A correct SimpleCNN that makes fc1 first is initialised otherwise: its parameters were
    never recorded. The handout runs the learner's model on recorded parameters instead: full
    points, as in the full project."""

    def fc1_first(lines):
        lines.insert(
            _line(lines, "        self.conv1 = "), lines.pop(_line(lines, "        self.fc1 = "))
        )
        return lines

    graded = _simple_cnn(handout, tmp_path, fc1_first)
    assert graded["full"]["score"] == graded["full"]["max_score"]
    assert all(c["passed"] for c in graded["handout"].values()), graded["handout"]


def test_layers_also_kept_in_a_sequential_earn_full_points(handout, tmp_path):
    """Review, 2026-11-27: a correct SimpleCNN that also keeps its layers in an nn.Sequential of
    its own naming (self.stack: no corpus entry has that name) names each tensor twice in its
    state_dict; the handout compares and replays the spec's keys only, as the full project."""

    def sequential(lines):
        at = _line(lines, "        self.fc2 = ")
        lines.insert(at + 1, "        self.stack = nn.Sequential(self.conv1, self.conv2)\n")
        lines.insert(_line(lines, "        self.conv1 = "), "        torch.manual_seed(5)\n")
        return lines

    graded = _simple_cnn(handout, tmp_path, sequential)
    assert graded["full"]["score"] == graded["full"]["max_score"]
    assert all(c["passed"] for c in graded["handout"].values()), graded["handout"]


def test_an_unrecorded_value_gives_no_points_and_says_so(handout, tmp_path):
    """A SimpleCNN with a parameter the spec does not have: no recorded value fits it. The check
    fails and says why (the extra layer, from the state's names and shapes, as in the full
    project); it does not crash, pass, or name a mistake."""

    def extra_layer(lines):
        at = _line(lines, "        self.fc2 = ")
        lines.insert(at + 1, lines[at].replace("self.fc2 =", "self.extra ="))
        return lines

    graded = _simple_cnn(handout, tmp_path, extra_layer)
    forward = graded["handout"]["simple_cnn_forward"]
    assert not forward["passed"] and forward["score"] == 0
    assert "extra is a layer the spec does not have" in forward["message"]
    assert "Likely mistake" not in forward["message"]
    full = {c["name"]: c for c in graded["full"]["checks"]}
    assert not full["simple_cnn_forward"]["passed"]  # the full project fails it too
    assert full["simple_cnn_forward"]["message"] == forward["message"]


def test_replay_never_guesses(tmp_path):
    values = Expected(REPLAY, tmp_path / "none.pt")
    with pytest.raises(CheckFailure, match="not available in this handout"):
        values("forward", lambda: pytest.fail("a handout computes nothing"), torch.ones(2))
    assert values.optional("forward", lambda: 1, torch.ones(2)) is None
    assert "not available" in NOT_AVAILABLE


def test_graded_runs_and_solutions_are_refused_in_the_handout(handout, tmp_path):
    (tmp_path / "batch" / "alice").mkdir(parents=True)
    run = grader(handout, "grade", str(tmp_path / "batch"), "--out", str(tmp_path / "out"))
    assert run.returncode == 2 and "instructor's side" in run.stderr
    assert not (tmp_path / "out").exists()
    run = grader(handout, "solution", "edge_filter", "--give-up")
    assert run.returncode == 1 and "no reference solution in this copy" in run.stderr
    run = grader(handout, "selfcheck")
    assert run.returncode == 2 and "a handout has none" in run.stdout
    write_key_file(tmp_path / "grading.key", bytes(32))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "checks", f"--grading-key-file={tmp_path}/grading.key"],
        cwd=handout,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0 and "instructor's side" in run.stdout + run.stderr


def test_values_of_secret_inputs_are_never_recorded(tmp_path):
    write_key_file(tmp_path / "grading.key", bytes(32))
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "checks/01_edge_filter/check_01_edge_filter.py",
            f"--grading-key-file={tmp_path}/grading.key",
            f"--expected-record={tmp_path}/expected",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0 and "records public runs only" in run.stdout + run.stderr
    assert not (tmp_path / "expected").exists()


def test_classroom_grading_step_runs_in_the_handout(handout, tmp_path):
    """The Classroom template is the handout with the workflow (`--github-classroom`)."""
    from grader.exports.classroom.workflow import write_workflow

    template = tmp_path / "template"
    shutil.copytree(handout, template)
    assert write_workflow(template).is_file()
    out = tmp_path / "result.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader.exports.classroom.workflow",
            "exercises",
            "--json",
            str(out),
        ],
        cwd=template,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(out.read_text())
    assert result["tests"] and all(t["score"] == 0 for t in result["tests"])


def test_a_filled_in_stub_is_refused(tmp_path):
    stubs = write_stubs(tmp_path / "stubs")
    shutil.copyfile(SOLUTIONS_DIR / "03_simple_cnn.py", stubs / "03_simple_cnn.py")
    with pytest.raises(HandoutError, match="03_simple_cnn.py"):
        build_handout(tmp_path / "out", stubs=stubs)
    assert not (tmp_path / "out").exists()


def test_the_handout_holds_a_notebook_per_exercise_that_asks_where_the_class_copy_is(handout):
    names = sorted(p.name for p in (handout / "notebooks").glob("*.ipynb"))
    assert names == [e.filename.replace(".py", ".ipynb") for e in load_catalog()]
    first = json.loads((handout / "notebooks" / names[0]).read_text())
    setup = "".join(first["cells"][1]["source"])
    assert "WORKBOOK = ''" in setup and "set WORKBOOK above" in setup
    assert str(PROJECT_ROOT) not in setup  # not the instructor's own copy, with its solutions

"""`grader export github-classroom` (grader/exports/classroom/): its workflow, parsed, with its
grading step run as written, and the runner result the reporter reads."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grader.workbook.catalog import load_catalog
from grader.workbook.paths import SOLUTIONS_DIR
from tests.helpers import write_stubs

GRADER = str(Path(sys.executable).with_name("grader"))
MAX_TOTAL = sum(e.points for e in load_catalog())  # 145


def classroom_workflow(folder: Path, *options: str) -> dict:
    done = subprocess.run(
        [GRADER, "export", "github-classroom", str(folder), *options],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return yaml.safe_load((folder / ".github/workflows/classroom.yml").read_text())


def test_classroom_workflow_structure(tmp_path):
    workflow = classroom_workflow(tmp_path)
    assert set(workflow[True]) >= {"push"}  # YAML 1.1 reads the key `on` as true
    (job,) = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest" and job["timeout-minutes"] == 30
    steps = job["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert uses[0] == "actions/checkout@v4" and "actions/setup-python@v5" in uses
    runs = [s.get("run", "") for s in steps]
    torch_step = next(r for r in runs if "torch" in r)
    assert "--index-url https://download.pytorch.org/whl/cpu" in torch_step
    assert torch_step.split()[-2:] == ["torch", "torchvision"]
    assert "python -I -m pip install -e ." in runs
    assert all("python -m" not in r for r in runs), "python -m imports from the repository"
    grading = next(s for s in steps if "grader.exports.classroom.workflow" in s.get("run", ""))
    reporter = steps[-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    assert reporter["if"] == "always()"
    assert reporter["with"]["runners"] == grading["id"]
    # the reporter reads process.env[`${runner.trim().toUpperCase()}_RESULTS`]
    assert reporter["env"] == {
        f"{grading['id'].upper()}_RESULTS": f"${{{{ steps.{grading['id']}.outputs.result }}}}"
    }
    assert re.fullmatch(r"[a-zA-Z0-9]+", grading["id"]), "the reporter's runner-id rule"

    other = classroom_workflow(tmp_path / "b", "--grader-repo", "prof/cnn-grader@v2")
    steps = other["jobs"]["run-autograding-tests"]["steps"]
    assert steps[1]["with"]["repository"] == "prof/cnn-grader" and steps[1]["with"]["ref"] == "v2"
    assert f"python -I -m pip install -e {steps[1]['with']['path']}" in [
        s.get("run") for s in steps
    ]
    text = (tmp_path / "b" / ".github/workflows/classroom.yml").read_text()
    assert "they can edit or delete this workflow" in text and "grader grade" in text


@pytest.mark.parametrize(
    "option", [("--grader-repo", "a/b\n  evil: 1"), ("--python", "3.11: x"), ("--exercises", "-x")]
)
def test_classroom_options_that_would_break_the_yaml_are_refused(tmp_path, option):
    done = subprocess.run(
        [GRADER, "export", "github-classroom", str(tmp_path), *option],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and option[0] in done.stderr
    assert not (tmp_path / ".github").exists()


def reporter_view(encoded: str) -> tuple[dict, float, float]:
    """What the reporter does with the step output: base64 -> JSON (main.js), then the points it
    sends Classroom (notify-classroom.js: the tests' scores summed, out of max_score)."""
    results = json.loads(base64.b64decode(encoded).decode("utf-8"))
    assert set(results) >= {"version", "status", "max_score", "tests"}
    assert results["status"] in ("pass", "fail", "error")
    for test in results["tests"]:
        assert set(test) >= {"name", "status", "score", "message", "line_no"}
        assert test["status"] in ("pass", "fail", "error") and isinstance(
            test["score"], (int, float)
        )
    return results, sum(t["score"] for t in results["tests"]), results["max_score"]


def run_grading_step(
    tmp_path: Path, exercises: Path, planted: dict[str, str] | None = None, step_run: str = ""
) -> tuple[dict, float, float, str]:
    """The workflow's grading step, its `run` line exactly (or `step_run`), in a student's
    repository holding `planted` files too, with `python` the venv's (as setup-python + pip
    install make it on the runner) and the runner's RUNNER_TEMP and GITHUB_WORKSPACE."""
    workflow = classroom_workflow(tmp_path / "repo")
    (job,) = workflow["jobs"].values()
    step = next(s for s in job["steps"] if s.get("id"))
    shutil.copytree(exercises, tmp_path / "repo" / "exercises")
    for name, text in (planted or {}).items():
        (tmp_path / "repo" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "repo" / name).write_text(text)
    output = tmp_path / "github_output"
    (tmp_path / "runner_temp").mkdir()
    env = {
        **os.environ,
        "GITHUB_OUTPUT": str(output),
        "GITHUB_WORKSPACE": str(tmp_path / "repo"),
        "RUNNER_TEMP": str(tmp_path / "runner_temp"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    done = subprocess.run(
        ["bash", "-e", "-c", step_run or step["run"]],
        cwd=tmp_path / "repo",
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (line,) = [x for x in output.read_text().splitlines() if x.startswith("result=")]
    return (*reporter_view(line.removeprefix("result=")), done.stdout)


def test_classroom_step_on_the_references(tmp_path):
    results, points, max_points, log = run_grading_step(tmp_path, SOLUTIONS_DIR)
    assert results["status"] == "pass" and max_points == MAX_TOTAL
    assert points == MAX_TOTAL and all(t["status"] == "pass" for t in results["tests"])
    assert len(results["tests"]) > len(load_catalog())  # one test per check
    assert f"Total: {MAX_TOTAL} / {MAX_TOTAL} points" in log


def test_classroom_step_on_the_stubs_and_partial_credit(tmp_path):
    stubs = tmp_path / "stubs"
    write_stubs(stubs)
    edge = next(e for e in load_catalog() if e.id == "edge_filter")
    shutil.copy(SOLUTIONS_DIR / edge.filename, stubs / edge.filename)
    results, points, max_points, log = run_grading_step(tmp_path, stubs)
    assert results["status"] == "fail" and max_points == MAX_TOTAL
    assert points == edge.points, "partial credit: exercise 01's checks, the others 0"
    passed = [t for t in results["tests"] if t["status"] == "pass"]
    assert passed and all(t["name"].startswith("01 edge_filter") for t in passed)
    assert "02 count_parameters: 0 / 12 (not attempted)" in log

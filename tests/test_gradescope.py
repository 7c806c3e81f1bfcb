"""`grader export gradescope`: the bundle's run_autograder, run against a fake /autograder root,
writes a results.json in Gradescope's format, with student code locked down as an unprivileged
user that can neither forge the results nor read the references."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from grader.workbook.paths import SOLUTIONS_DIR
from tests.helpers import stub_text

GRADER = str(Path(sys.executable).with_name("grader"))
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}

# Makes /root traversable inside a private mount namespace, so that a Python installed under
# /root (mode 0700 on this machine) can be run by the unprivileged worker user, as on Gradescope.
PYTHON_READABLE = """set -e
hold=$(mktemp -d)
mount --bind /root "$hold"
mount -t tmpfs -o mode=755 tmpfs /root
for entry in "$hold"/.pyenv; do
  mkdir "/root/$(basename "$entry")"; mount --bind "$entry" "/root/$(basename "$entry")"
done
exec "$@"
"""


def assert_gradescope_format(results: dict) -> None:
    """Gradescope's results.json: a top-level score, and tests with name, score, max_score,
    status, output and visibility of the right types, scores adding up to the total."""
    assert isinstance(results["score"], (int, float))
    assert results.get("visibility", "visible") in VISIBILITIES
    assert isinstance(results["output"], str) and isinstance(results["execution_time"], int)
    assert results["tests"], "no tests"
    for test in results["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output", "visibility"}, test
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert isinstance(test["score"], (int, float)) and isinstance(
            test["max_score"], (int, float)
        )
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITIES
        assert (test["status"] == "passed") == (test["score"] == test["max_score"])
    assert abs(sum(t["score"] for t in results["tests"]) - results["score"]) < 1e-9


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "autograder.zip"
    done = subprocess.run(
        [GRADER, "export", "gradescope", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return out


def autograder_root(bundle: Path, root: Path) -> Path:
    """What Gradescope's image holds after setup.sh: the bundle in source/, a venv that can import
    the grader from there (and torch from this project's venv: no network here), an empty
    submission/ and results/."""
    with zipfile.ZipFile(bundle) as zipped:
        zipped.extractall(root / "source")
    base = Path(sys._base_executable if hasattr(sys, "_base_executable") else sys.executable)
    subprocess.run([str(base), "-m", "venv", "--without-pip", str(root / "venv")], check=True)
    site = next((root / "venv" / "lib").glob("python3*/site-packages"))
    (site / "grader_bundle.pth").write_text(
        f"{root / 'source'}\n{sysconfig.get_paths()['purelib']}\n"
    )
    (root / "submission").mkdir()
    (root / "results").mkdir()
    return root


def run_autograder(root: Path, *, user: str = "", prefix: list[str] = ()) -> dict:
    env = {"PATH": "/usr/bin:/bin", "AUTOGRADER_ROOT": str(root), "CNN_GRADER_WORKER_USER": user}
    done = subprocess.run(
        [*prefix, "bash", str(root / "source" / "run_autograder")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert_gradescope_format(results)
    return results


def scores(results: dict) -> dict[str, float]:
    by_exercise: dict[str, float] = {}
    for test in results["tests"]:
        exercise = test["name"].split(":")[0]
        by_exercise[exercise] = by_exercise.get(exercise, 0) + test["score"]
    return by_exercise


def test_bundle_holds_setup_and_run_autograder(bundle):
    with zipfile.ZipFile(bundle) as zipped:
        names = set(zipped.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in zipped.infolist()}
    assert {
        "setup.sh",
        "run_autograder",
        "grader/exports/gradescope/autograder.py",
        "checks/01_edge_filter/check_01_edge_filter.py",
        "checks/05_training_step/oracle.py",
        "solutions/08_train_digits.py",
        "workbook.toml",
        "pyproject.toml",
    } <= names
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    assert not any("__pycache__" in n for n in names)
    for script in ("setup.sh", "run_autograder"):
        with zipfile.ZipFile(bundle) as zipped:
            text = zipped.read(script).decode()
        assert subprocess.run(["bash", "-n"], input=text, text=True).returncode == 0, script


@pytest.mark.skipif(
    shutil.which("unshare") is None
    or not hasattr(__import__("os"), "geteuid")
    or __import__("os").geteuid() != 0,
    reason="needs root and unshare to act as Gradescope",
)
def test_run_autograder_as_an_unprivileged_user(bundle, tmp_path):
    root = autograder_root(bundle, tmp_path / "autograder")
    submission = root / "submission"
    shutil.copy(SOLUTIONS_DIR / "01_edge_filter.py", submission)
    (submission / "02_count_parameters.py").write_text(stub_text("02_count_parameters.py"))
    (submission / "03_simple_cnn.py").write_text(
        "import os\nraise ValueError(f'uid={os.getuid()}')\n"
    )
    results_file, reference = (
        root / "results" / "results.json",
        root / "source" / "solutions" / "01_edge_filter.py",
    )
    (submission / "04_layer_tweaks.py").write_text(f"""
import json
wrote = read = False
try:
    open({str(results_file)!r}, "w").write(json.dumps({{"score": 1000, "tests": []}}))
    wrote = True
except OSError:
    pass
try:
    read = "def " in open({str(reference)!r}).read()
except OSError:
    pass
raise ValueError(f"wrote={{wrote}} read={{read}}")
""")
    results = run_autograder(
        root,
        user="nobody",
        prefix=[
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            PYTHON_READABLE,
            "sh",
        ],
    )
    by_exercise = scores(results)
    assert by_exercise["01 edge_filter"] == 25 and results["score"] == 25
    outputs: dict[str, str] = {}  # a cause several checks share is said on one of them
    for test in results["tests"]:
        exercise = test["name"].split(":")[0]
        outputs[exercise] = outputs.get(exercise, "") + test["output"] + "\n"
    assert "uid=65534" in outputs["03 simple_cnn"]  # student code ran as nobody
    assert "wrote=False read=False" in outputs["04 layer_tweaks"]
    assert "not attempted" in outputs["02 count_parameters"]
    failed = next(t for t in results["tests"] if t["name"].startswith("03 "))
    assert "Hint:" in failed["output"] and failed["status"] == "failed"


def test_run_autograder_on_a_zip_upload_and_on_an_empty_one(bundle, tmp_path):
    root = autograder_root(bundle, tmp_path / "autograder")
    with zipfile.ZipFile(root / "submission" / "alice.zip", "w") as zipped:
        zipped.write(SOLUTIONS_DIR / "02_count_parameters.py", "alice/02_count_parameters.py")
    results = run_autograder(root)
    assert scores(results)["02 count_parameters"] == 12 and results["score"] == 12
    (root / "submission" / "alice.zip").unlink()
    results = run_autograder(root)
    assert results["score"] == 0 and "no exercise files" in results["output"]

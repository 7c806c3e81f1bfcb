"""Python 3.10, which pyproject.toml declares: the catalog reads workbook.toml with `tomli` where
`tomllib` is missing, every module compiles on a real 3.10 when one is installed, and the
Gradescope run_autograder fails loudly, with a results.json, when the grader cannot start."""

from __future__ import annotations

import glob
import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader.exports.gradescope.autograder import RUN_AUTOGRADER
from grader.workbook.paths import PROJECT_ROOT

PYTHON310 = sorted(
    glob.glob("/root/.pyenv/versions/3.10*/bin/python3.10") + glob.glob("/usr/bin/python3.10")
)


def test_the_catalog_loads_with_tomli_when_tomllib_is_missing():
    code = (
        "import sys; sys.modules['tomllib'] = None\n"  # what `import tomllib` finds on 3.10
        "from grader.workbook import catalog\n"
        "assert catalog.tomllib.__name__ == 'tomli', catalog.tomllib\n"
        "print(len(catalog.load_catalog()), catalog.load_limits().memory)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["8", str(4 * 1024**3)]


def test_pyproject_declares_the_fallback():
    text = (PROJECT_ROOT / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.10"' in text
    assert "\"tomli>=1.1; python_version < '3.11'\"" in text


@pytest.mark.skipif(not PYTHON310, reason="no Python 3.10 on this machine")
def test_every_module_compiles_on_python_310(tmp_path):
    files = [
        str(p)
        for folder in ("grader", "checks", "solutions")
        for p in (PROJECT_ROOT / folder).rglob("*.py")
    ]
    code = (
        "import sys\nfor f in sys.argv[1:]:\n"
        "    compile(open(f, encoding='utf-8').read(), f, 'exec')\n"
    )
    done = subprocess.run(
        [PYTHON310[0], "-c", code, *files], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_run_autograder_writes_a_failed_results_json_when_the_grader_cannot_start(tmp_path):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "run_autograder").write_text(RUN_AUTOGRADER)
    broken = tmp_path / "python"  # a Python that cannot import the grader, as tomllib once did
    broken.write_text(
        "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'tomllib'\" >&2\nexit 1\n"
    )
    broken.chmod(0o755)
    done = subprocess.run(
        ["bash", str(tmp_path / "source" / "run_autograder")],
        env={
            "PATH": "/usr/bin:/bin",
            "AUTOGRADER_ROOT": str(tmp_path),
            "GRADER_PYTHON": str(broken),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "failed to start" in done.stderr
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert results["score"] == 0 and "please tell your instructor" in results["output"]
    assert results["tests"] == [] and Path(tmp_path / "results" / "results.json").stat().st_size

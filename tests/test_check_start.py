"""How `grader check`'s grading process starts its checks (`grader/commands/check_start.py`):
torch on one thread with no OpenMP pool, its import frozen out of the garbage collector's walks,
pytest with only the plugins the grader names, and the caller's environment as it was."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

from grader.commands.check_start import no_plugin_autoload, plugin_arguments

# run in a fresh interpreter: this test process has imported torch already
PROBE = """
import gc, json, os, sys
from grader.commands.check_start import import_for_checks
import_for_checks()
import torch
print(json.dumps({
    "threads": torch.get_num_threads(),
    "os_threads": len(os.listdir("/proc/self/task")),
    "omp": os.environ.get("OMP_NUM_THREADS"),
    "gc_enabled": gc.isenabled(),
    "frozen": gc.get_freeze_count(),
    "pytest": "pytest" in sys.modules and "grader.checking.runner" in sys.modules,
}))
"""


def _probe(**env: str) -> dict:
    environ = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"} | env
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=environ, check=True
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_torch_is_imported_on_one_thread_and_frozen_and_the_environment_restored():
    seen = _probe()
    assert seen["threads"] == 1
    assert seen["os_threads"] == 1  # no OpenMP pool started at import
    assert seen["omp"] is None  # what the check starts later inherits the caller's environment
    assert seen["gc_enabled"] and seen["frozen"] > 100_000  # torch's objects, walked no more
    assert seen["pytest"]


def test_a_callers_thread_setting_stays_but_the_checks_still_use_one_thread():
    seen = _probe(OMP_NUM_THREADS="2")
    assert seen["omp"] == "2"
    assert seen["threads"] == 1


def test_plugin_autoload_is_off_meanwhile_and_a_callers_setting_kept(monkeypatch):
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    with no_plugin_autoload():
        assert os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] == "1"
    assert "PYTEST_DISABLE_PLUGIN_AUTOLOAD" not in os.environ
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "yes")
    with no_plugin_autoload():
        assert os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] == "yes"
    assert os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] == "yes"


def test_the_named_plugins_are_the_graders_and_the_timeout_when_installed(monkeypatch):
    # both installed here (the project's dependencies): both named
    assert plugin_arguments() == ["-p", "grader.pytest_plugin", "-p", "pytest_timeout"]
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "pytest_timeout" else real(name)
    )
    assert plugin_arguments() == ["-p", "grader.pytest_plugin"]

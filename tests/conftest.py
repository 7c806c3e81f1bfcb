"""Shared by the grader's own tests: they never read or write a learner's `.grader/state.json`
(the state of `grader check`, `list` and `hint` goes to a folder of this run's own, for this
process and every `grader` it starts); no kept zygote outlives the run."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest

pytest_plugins = ["tests.cpu_profile"]

_STATE_DIR = Path(tempfile.mkdtemp(prefix="cnn-test-state-"))
os.environ["CNN_GRADER_STATE"] = str(_STATE_DIR / "state.json")
# `grader check` keeps no zygote between the tests' commands (a kept one is no descendant: the
# CPU profile would miss it); the tests of the kept zygote ask for one, in this run's folder.
os.environ["CNN_GRADER_NO_KEEP"] = "1"
os.environ["CNN_GRADER_ZYGOTE_DIR"] = str(_STATE_DIR / "zygotes")


@pytest.fixture(scope="session", autouse=True)
def _one_torch_thread():
    """torch in the test process on one thread, as in a batch's grading processes
    (grader/commands/batch.py) and a notebook's check: the checks graded here and the tests'
    own small tensors. A second thread only spins beside them: test_eval_mode's 1,500 tiny
    forwards took 90 CPU s on two threads of a loaded machine, 2 on one. Subprocesses (grader
    check, the zygote, its workers) keep their own settings."""
    import torch

    torch.set_num_threads(1)


@pytest.fixture(scope="session", autouse=True)
def _own_state():
    yield
    from grader.supervisor.kept_zygote import running_zygotes

    for pid in running_zygotes(_STATE_DIR / "zygotes"):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(_STATE_DIR, ignore_errors=True)

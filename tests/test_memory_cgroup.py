"""Each worker is in a memory cgroup of its own, with the limit `--limit memory=...` gives it, in
both ways a worker starts (forked by the zygote, or afresh with its own supervisor); the group
goes with the worker, and a killed grader's leftovers go at the next run. Shared memory above the
limit stops the worker fresh as it does forked (tests/test_adversarial.py), named as the limit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.supervisor.cgroup_cleanup import remove_stale_cgroups
from grader.supervisor.environment import NO_ZYGOTE_VARIABLE
from grader.supervisor.process import Worker
from grader.supervisor.zygote_client import Zygote
from grader.workbook.limits import Limits
from grader.workbook.paths import PROJECT_ROOT
from grader.worker import memory_cgroup
from tests.attacks import ATTACKS

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not memory_cgroup.group_parents(),
    reason="needs root and a memory cgroup controller",
)
LIMIT = 768 * 1024**2


def _limit_of(group: Path) -> int:
    name = "memory.limit_in_bytes" if (group / "memory.limit_in_bytes").exists() else "memory.max"
    return int((group / name).read_text())


def _memory_group_of(pid: int) -> str:
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(",") or controllers == "":
            return path
    raise AssertionError(f"process {pid} is in no memory cgroup")


@pytest.mark.parametrize("forked", [True, False], ids=["zygote", "fresh"])
def test_the_memory_limit_reaches_the_workers_own_cgroup(forked):
    zygote = Zygote() if forked else None
    try:
        worker = Worker(limits=Limits(memory=LIMIT), zygote=zygote)
        worker.wait_ready()
        group = worker._own_group("memory_cgroup")
        assert group is not None, worker._control_lines
        group_path = Path(group)
        assert _limit_of(group_path) == LIMIT
        swap = group_path / "memory.memsw.limit_in_bytes"
        if swap.exists():
            assert int(swap.read_text()) == LIMIT, "the worker could swap past its limit"
        worker_pid = worker.control_info("pid")["pid"] if not forked else worker.process.pid
        assert _memory_group_of(worker_pid).endswith("/" + group_path.name)
        worker.close()
        assert not group_path.exists(), "the worker's memory cgroup outlived it"
    finally:
        if zygote is not None:
            zygote.close()


def test_shared_memory_above_the_limit_is_named_in_a_fresh_worker_too(tmp_path):
    """Without the zygote the worker's supervisor is in the group as well; the OOM killer must
    pick the worker, and the supervisor report it."""
    attack = next(a for a in ATTACKS if a.name == "shared_anonymous_memory_above_the_limit")
    (tmp_path / "02_count_parameters.py").write_text(attack.source())
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("grader")),
            "check",
            "count_parameters",
            "--submission",
            str(tmp_path),
            "--json",
            "--limit=memory=1GiB",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=PROJECT_ROOT,
        env={**os.environ, NO_ZYGOTE_VARIABLE: "1"},
    )
    exercise = json.loads(done.stdout)["exercises"]["count_parameters"]
    checks = {c["name"]: c for c in exercise["checks"]}
    assert "the memory limit of 1 GiB was exceeded" in checks["linear_param_count"]["message"]
    assert checks["simple_cnn_param_count"]["passed"], "grading did not go on after the limit"


def test_a_killed_graders_memory_groups_are_removed_at_the_next_run():
    parent = memory_cgroup.group_parents()[0]
    leftover = parent / f"cnn-grader-test{os.getpid()}-old"
    fresh = parent / f"cnn-grader-test{os.getpid()}-new"
    try:
        for group in (leftover, fresh):
            group.mkdir()
        os.utime(leftover, (time.time() - 3600,) * 2)
        removed = remove_stale_cgroups(max_age=60)
        assert str(leftover) in removed and not leftover.exists()
        assert fresh.exists(), "a group made a moment ago (its worker about to join) was removed"
    finally:
        for group in (leftover, fresh):
            if group.exists():
                group.rmdir()

"""Each worker is in a cpu cgroup of its own (one process's weight, at most one core), in both ways
a worker starts (forked by the zygote, or afresh with its own supervisor); the group goes with the
worker, and a killed grader's leftovers go at the next run. That a batch-mate's busy processes
cost a victim nothing is an attack in tests/test_adversarial.py."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from grader.supervisor.cgroup_cleanup import remove_stale_cgroups
from grader.supervisor.process import Worker
from grader.supervisor.zygote_client import Zygote
from grader.worker import cpu_cgroup

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not cpu_cgroup.group_parents(),
    reason="needs root and a cpu cgroup controller",
)


def _cpu_group_of(pid: int) -> str:
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if "cpu" in controllers.split(",") or controllers == "":
            return path
    raise AssertionError(f"process {pid} is in no cpu cgroup")


def _limits_of(group: Path) -> tuple[int, int, int]:
    """(weight in v1 shares, quota, period) in microseconds."""
    if (group / "cpu.shares").exists():
        quota = int((group / "cpu.cfs_quota_us").read_text())
        period = int((group / "cpu.cfs_period_us").read_text())
        return int((group / "cpu.shares").read_text()), quota, period
    quota, period = (group / "cpu.max").read_text().split()
    weight = int((group / "cpu.weight").read_text())
    return weight * 1024 // 100, int(quota), int(period)


@pytest.mark.parametrize("forked", [True, False], ids=["zygote", "fresh"])
def test_each_worker_has_a_cpu_group_of_one_process_and_one_core(forked):
    zygote = Zygote() if forked else None
    try:
        worker = Worker(zygote=zygote)
        worker.wait_ready()
        group = worker._own_group("cpu_cgroup")
        assert group is not None, worker._control_lines
        group_path = Path(group)
        assert _limits_of(group_path) == (1024, cpu_cgroup.PERIOD_US, cpu_cgroup.PERIOD_US)
        worker_pid = worker.control_info("pid")["pid"] if not forked else worker.process.pid
        assert _cpu_group_of(worker_pid).endswith("/" + group_path.name)
        worker.close()
        assert not group_path.exists(), "the worker's cpu cgroup outlived it"
    finally:
        if zygote is not None:
            zygote.close()


def test_a_killed_graders_cpu_groups_are_removed_at_the_next_run():
    parent = cpu_cgroup.group_parents()[0]
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

"""A killed grader's leftover pids cgroups are removed by the next run; a live worker's never."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from grader.supervisor.cgroup_cleanup import remove_stale_cgroups

ROOT = Path("/sys/fs/cgroup/pids")

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not ROOT.is_dir(),
    reason="needs root and the pids cgroup controller at " + str(ROOT),
)


def _group(name: str, age: float) -> Path:
    group = ROOT / f"cnn-grader-test{os.getpid()}-{name}"
    group.mkdir()
    if age:
        then = time.time() - age
        os.utime(group, (then, then))
    return group


def test_only_old_empty_groups_are_removed():
    leftover = _group("leftover", age=3600)
    fresh = _group("fresh", age=0)
    busy = _group("busy", age=3600)
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        (busy / "cgroup.procs").write_text(str(sleeper.pid))
        os.utime(busy, (time.time() - 3600,) * 2)
        removed = remove_stale_cgroups(max_age=60)
        assert str(leftover) in removed and not leftover.exists()
        assert fresh.exists(), "a group made a moment ago (its worker about to join) was removed"
        assert busy.exists(), "a group with a live process in it was removed"
    finally:
        sleeper.kill()
        sleeper.wait()
        for group in (leftover, fresh, busy):
            for _ in range(100):
                try:
                    group.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)

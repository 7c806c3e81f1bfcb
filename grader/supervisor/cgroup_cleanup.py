"""The grader's part of a worker's cgroups: which group it may read and remove, how many OOM kills
it saw, its removal once the worker has ended, and the sweep of groups a killed grader left."""

from __future__ import annotations

import os
import time
from pathlib import Path

from grader.wire.cgroup_places import (
    PIDS_CGROUP_ROOTS,
    PREFIX,
    cpu_group_parents,
    cpuacct_group_parents,
    group_parents,
)

_READ_LIMIT = 4096  # cgroup files the grader reads are a few lines; never read more


def is_worker_group(path: object, pid: int) -> bool:
    """Whether `path` (from the control pipe) names a worker group this grader may read and remove:
    `cnn-grader-<pid>` directly inside one of the places a memory or cpu group is made."""
    if not isinstance(path, str):
        return False
    group = Path(path)
    places = group_parents() + cpu_group_parents() + cpuacct_group_parents()
    return group.name == f"{PREFIX}{pid}" and group.parent in places


def _read_small(path: Path) -> str:
    with open(path, "rb") as file:
        return file.read(_READ_LIMIT).decode("ascii", "replace")


def oom_kills(group: str) -> int:
    """How many processes the kernel's OOM killer ended in the group (0 if unknown)."""
    for name in ("memory.events", "memory.oom_control"):  # v2, v1 (Linux 4.13+)
        try:
            text = _read_small(Path(group) / name)
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill" and value.strip().isdigit():
                return int(value)
    return 0


def remove_group(group: str) -> None:
    """Remove an emptied cgroup; its last process may take a moment to leave it."""
    for _ in range(50):
        try:
            os.rmdir(group)
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.01)


def remove_stale_cgroups(max_age: float = 60.0) -> list[str]:
    """Remove the pids cgroups of workers that are gone: left behind when a grader was killed
    before it could remove them (a worker's group holds it until it ends, and is removed right
    after). Only empty groups older than `max_age` seconds: a worker joins the one it makes
    within milliseconds, so another grader's live worker is never touched."""
    removed = []
    now = time.time()
    for root in dict.fromkeys(
        PIDS_CGROUP_ROOTS + group_parents() + cpu_group_parents() + cpuacct_group_parents()
    ):
        try:
            groups = [child for child in root.iterdir() if child.name.startswith("cnn-grader-")]
        except OSError:
            continue
        for group in groups:
            try:
                if (
                    group / "cgroup.procs"
                ).read_text().strip() or now - group.stat().st_mtime < max_age:
                    continue
                group.rmdir()
                removed.append(str(group))
            except OSError:
                continue  # in use after all, or not ours to remove
    return removed

"""How a worker makes its own cgroup `cnn-grader-<pid>` and moves itself in, for every controller
it uses (memory, cpu, cpuacct): the first place that lets it, else None (not root, or no such
controller). The grader reads and removes the group (`grader.supervisor.cgroup_cleanup`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from grader.wire.cgroup_places import PREFIX


def _v2_enabled(root: Path, controller: str) -> bool:
    """Whether `root`'s children have `controller`; enable it where the kernel lets us."""
    try:
        if controller in (root / "cgroup.subtree_control").read_text().split():
            return True
        if controller not in (root / "cgroup.controllers").read_text().split():
            return False
        (root / "cgroup.subtree_control").write_text(f"+{controller}")
        return True
    except OSError:
        return False


def join_group(
    parents: list[Path], pid: int, controller: str, limit: Callable[[Path], None] | None = None
) -> str | None:
    """Make `cnn-grader-<pid>` in the first of `parents` that allows it, set its `limit`, and move
    this process into it; its path, or None."""
    if os.geteuid() != 0:
        return None
    for parent in parents:
        if (parent / "cgroup.controllers").exists() and not _v2_enabled(parent, controller):
            continue
        group = parent / f"{PREFIX}{pid}"
        try:
            group.mkdir(exist_ok=True)
            if limit is not None:
                limit(group)
            (group / "cgroup.procs").write_text("0")  # 0: the writing process
            return str(group)
        except OSError:
            try:
                group.rmdir()
            except OSError:
                pass
    return None

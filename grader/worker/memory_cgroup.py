"""The worker's memory cgroup: a bound on all the memory it makes the machine hold.

RLIMIT_DATA counts private mappings only: shared anonymous memory (`MAP_SHARED|MAP_ANONYMOUS`),
`memfd_create` and tmpfs files escape it. A memory cgroup counts every page charged to the worker
(those too, and page cache), and at its limit the kernel's OOM killer ends the worker with
SIGKILL; the group's counters say so (`oom_kill`), and the grader names the memory limit.

As with the pids cgroup (`cgroups.join_pids_cgroup`), the worker joins a group of its own,
`cnn-grader-<PID>`, before student code runs; the grader removes it once the worker has ended.
With cgroup v1 the group is made inside the grader's own memory group when it can be (the
workers then stay inside whatever limit the host put on the grader), else at the hierarchy's
root; with cgroup v2 at the root, where the memory controller is enabled if it is not yet.
"""

from __future__ import annotations

import os
from pathlib import Path

from grader.wire.cgroup_places import PREFIX, group_parents


def _v2_memory_enabled(root: Path) -> bool:
    """Whether `root`'s children have the memory controller; enable it where the kernel lets us."""
    try:
        if "memory" in (root / "cgroup.subtree_control").read_text().split():
            return True
        if "memory" not in (root / "cgroup.controllers").read_text().split():
            return False
        (root / "cgroup.subtree_control").write_text("+memory")
        return True
    except OSError:
        return False


def _limit(group: Path, limit: int) -> None:
    """Memory at most `limit` bytes, no swap (swap would let it hold more, slowly), and at the
    limit the whole group is killed where the kernel can (cgroup v2's memory.oom.group)."""
    if (group / "memory.limit_in_bytes").exists():  # v1
        (group / "memory.limit_in_bytes").write_text(str(limit))
        if (group / "memory.memsw.limit_in_bytes").exists():  # memory + swap: no swap
            (group / "memory.memsw.limit_in_bytes").write_text(str(limit))
        return
    (group / "memory.max").write_text(str(limit))
    for name, value in (("memory.swap.max", "0"), ("memory.oom.group", "1")):
        if (group / name).exists():
            (group / name).write_text(value)


def join(limit: int, pid: int) -> str | None:
    """Make the group `cnn-grader-<pid>` with `limit` bytes and move this process into it; its path,
    or None where no memory cgroup is writable (not root, or no memory controller)."""
    if os.geteuid() != 0:
        return None
    for parent in group_parents():
        if (parent / "cgroup.controllers").exists() and not _v2_memory_enabled(parent):
            continue
        group = parent / f"{PREFIX}{pid}"
        try:
            group.mkdir(exist_ok=True)
            _limit(group, limit)
            (group / "cgroup.procs").write_text("0")  # 0: the writing process
            return str(group)
        except OSError:
            try:
                group.rmdir()
            except OSError:
                pass
            continue
    return None

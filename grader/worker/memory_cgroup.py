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

from pathlib import Path

from grader.wire.cgroup_places import group_parents
from grader.worker.cgroup_join import join_group


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
    return join_group(group_parents(), pid, "memory", lambda group: _limit(group, limit))

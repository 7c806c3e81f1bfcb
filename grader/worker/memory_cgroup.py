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

V1_ROOT = Path("/sys/fs/cgroup/memory")
V2_ROOTS = [Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified")]
PREFIX = "cnn-grader-"
_READ_LIMIT = 4096  # cgroup files the grader reads are a few lines; never read more


def _own_v1_group() -> Path | None:
    """This process's group in cgroup v1's memory hierarchy (None if there is no such line)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            return V1_ROOT / path.lstrip("/")
    return None


def group_parents() -> list[Path]:
    """Where workers' memory groups may be made, best first (also where stale ones are found)."""
    parents = []
    if (V1_ROOT / "memory.limit_in_bytes").exists():
        own = _own_v1_group()
        parents += [own] if own is not None and own != V1_ROOT else []
        parents.append(V1_ROOT)
    parents += [root for root in V2_ROOTS if (root / "cgroup.controllers").exists()]
    return parents


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


def is_worker_group(path: object, pid: int) -> bool:
    """Whether `path` (from the control pipe) names a worker group this grader may read and remove:
    `cnn-grader-<pid>` directly inside one of `group_parents()`."""
    if not isinstance(path, str):
        return False
    group = Path(path)
    return group.name == f"{PREFIX}{pid}" and group.parent in group_parents()


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

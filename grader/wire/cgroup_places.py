"""Where a worker's cgroups are made and found: the worker makes `cnn-grader-<PID>` in one of these
places before student code runs; the grader reads and removes it there once the worker has ended.
Both sides agree on the places, so they are named once, here."""

from __future__ import annotations

from pathlib import Path

PREFIX = "cnn-grader-"
PIDS_CGROUP_ROOTS = [Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")]
V1_ROOT = Path("/sys/fs/cgroup/memory")
V2_ROOTS = [Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified")]


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

"""Where a worker's cgroups are made and found: the worker makes `cnn-grader-<PID>` in one of these
places before student code runs; the grader reads and removes it there once the worker has ended.
Both sides agree on the places, so they are named once, here."""

from __future__ import annotations

from pathlib import Path

PREFIX = "cnn-grader-"
PIDS_CGROUP_ROOTS = [Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")]
V1_ROOT = Path("/sys/fs/cgroup/memory")
V1_CPU_ROOT = Path("/sys/fs/cgroup/cpu")
V1_CPUACCT_ROOT = Path("/sys/fs/cgroup/cpuacct")
V2_ROOTS = [Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified")]


def _own_v1_group(controller: str, root: Path) -> Path | None:
    """This process's group in cgroup v1's `controller` hierarchy (None if there is no such
    line)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            return root / path.lstrip("/")
    return None


def _parents(controller: str, root: Path, marker: str) -> list[Path]:
    parents = []
    if (root / marker).exists():
        own = _own_v1_group(controller, root)
        parents += [own] if own is not None and own != root and own.is_dir() else []
        parents.append(root)
    parents += [r for r in V2_ROOTS if (r / "cgroup.controllers").exists()]
    return parents


def group_parents() -> list[Path]:
    """Where workers' memory groups may be made, best first (also where stale ones are found)."""
    return _parents("memory", V1_ROOT, "memory.limit_in_bytes")


def cpuacct_group_parents() -> list[Path]:
    """Where workers' cpuacct groups may be made (cgroup v1 with cpuacct mounted apart from cpu;
    with cgroup v2 the cpu group itself keeps the usage)."""
    root = V1_CPUACCT_ROOT
    if not (root / "cpuacct.usage").exists():
        return []
    own = _own_v1_group("cpuacct", root)
    return ([own] if own is not None and own != root and own.is_dir() else []) + [root]


def cpu_group_parents() -> list[Path]:
    """Where workers' cpu groups may be made, best first (also where stale ones are found)."""
    return _parents("cpu", V1_CPU_ROOT, "cpu.shares")

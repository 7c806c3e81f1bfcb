"""CPU time a worker has used, read from outside it, so that student code cannot touch the
number: the usage its accounted cpu cgroup keeps (every process the worker starts is born there,
exited ones included), or, where no group keeps one, the worker proper, every process in its pids
cgroup, and its descendants found by their parent links in /proc, exited ones not yet reaped
included (their time reaches the worker's own only once it waits for them)."""

from __future__ import annotations

import os
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _process_seconds(pid: int) -> float:
    """User and system time of `pid` (all its threads) and of the children it has waited for."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = text.rsplit(")", 1)[-1].split()  # the name before may hold spaces and parentheses
    try:
        return sum(int(v) for v in fields[11:15]) / _TICKS
    except ValueError:
        return 0.0


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[-1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    found, waiting = set(), [root]
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in found:
                found.add(child)
                waiting.append(child)
    return found


def group_cpu_seconds(group: str) -> float:
    """CPU seconds every process of the group has used, exited ones included: v1's cpuacct.usage
    (nanoseconds), v2's cpu.stat usage_usec; 0 where neither can be read."""
    return _group_usage(group) or 0.0


def _group_usage(group: str) -> float | None:
    """As `group_cpu_seconds`, None where the group keeps no usage (gone, or v1's cpu group)."""
    try:
        return int(Path(group, "cpuacct.usage").read_text()[:64].strip()) / 1e9
    except (OSError, ValueError):
        pass
    try:
        for line in Path(group, "cpu.stat").read_text()[:4096].splitlines():
            key, _, value = line.partition(" ")
            if key == "usage_usec":
                return int(value) / 1e6
    except (OSError, ValueError):
        pass
    return None


def cpu_seconds(
    pid: int | None,
    cgroup: str | None = None,
    descendants: bool = True,
    accounted: tuple[str | None, ...] = (),
) -> float:
    """The worker's CPU seconds; without `descendants`, its own only (before student code runs
    it has none, and the scan of /proc costs milliseconds). With `descendants`, at least what its
    `accounted` cgroups kept: the time of children the kernel reaped unseen (SIGCHLD ignored).
    The scan of /proc for descendants is made only where no accounted group keeps a usage: the
    worker joins its group before student code runs, so all it starts is born there (exited,
    reparented or in a session of its own alike) and cannot leave (no capability, and
    /sys/fs/cgroup is read-only to it): the group's usage already counts every descendant."""
    pids = {pid} if type(pid) is int and pid > 0 else set()
    if not descendants:
        return sum(_process_seconds(p) for p in pids)
    kept = [u for g in accounted if g is not None and (u := _group_usage(g)) is not None]
    if pids and not kept:
        pids |= _descendants(pid)
    if cgroup:
        try:
            listed = (Path(cgroup) / "cgroup.procs").read_text().split()[:10_000]
        except OSError:
            listed = []
        pids |= {int(p) for p in listed if p.isdigit()}
    return max([sum(_process_seconds(p) for p in pids), *kept])

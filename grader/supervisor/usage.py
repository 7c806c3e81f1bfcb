"""CPU time a worker has used, read from outside it (/proc), so that student code cannot touch
the number: the worker proper, every process in its pids cgroup, and its descendants found by
their parent links, exited ones not yet reaped included (they have left the cgroup, and their
time reaches the worker's own only once it waits for them)."""

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


def cpu_seconds(pid: int | None, cgroup: str | None = None, descendants: bool = True) -> float:
    """The worker's CPU seconds; without `descendants`, its own only (before student code runs
    it has none, and the scan of /proc costs milliseconds)."""
    pids = {pid} if type(pid) is int and pid > 0 else set()
    if descendants and pids:
        pids |= _descendants(pid)
    if cgroup and descendants:
        try:
            listed = (Path(cgroup) / "cgroup.procs").read_text().split()[:10_000]
        except OSError:
            listed = []
        pids |= {int(p) for p in listed if p.isdigit()}
    return sum(_process_seconds(p) for p in pids)

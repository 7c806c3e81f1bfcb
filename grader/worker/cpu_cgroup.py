"""The worker's cpu cgroup: one worker's fair part of the machine, however many processes it runs.

Without it every process a worker forks (in any session) competes for the cores as one more
process: a batch-mate that starts 31 busy processes takes 31 parts of the machine and its
neighbour's exercise 08 runs at a fraction of a core. In a group of its own the worker and all it
starts weigh as one process (cgroup v1 `cpu.shares` 1024, v2 `cpu.weight` 100: what one process
of nice 0 weighs), and together they use at most one core (the CFS quota equals its period: the
spec's "one CPU core", so threads buy no time either).

As with the memory cgroup (`memory_cgroup`), the worker joins `cnn-grader-<PID>` itself before
student code runs, and the grader removes the group once the worker has ended. With cgroup v1 the
group is made inside the grader's own cpu group when it can be, else at the hierarchy's root; with
cgroup v2 at the root, where the cpu controller is enabled if it is not yet.
"""

from __future__ import annotations

from pathlib import Path

from grader.wire.cgroup_places import cpu_group_parents as group_parents
from grader.wire.cgroup_places import cpuacct_group_parents
from grader.worker.cgroup_join import join_group

PERIOD_US = 100_000  # the kernel's default CFS period; a quota of one period is one core
V1_SHARES, V2_WEIGHT = 1024, 100  # one process of nice 0, in each version's units


def _limit(group: Path) -> None:
    """One process's weight, and at most one core."""
    if (group / "cpu.shares").exists():  # v1
        (group / "cpu.shares").write_text(str(V1_SHARES))
        (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (group / "cpu.cfs_quota_us").write_text(str(PERIOD_US))
        return
    (group / "cpu.weight").write_text(str(V2_WEIGHT))
    (group / "cpu.max").write_text(f"{PERIOD_US} {PERIOD_US}")


def join(pid: int) -> str | None:
    """Make the group `cnn-grader-<pid>` and move this process into it; its path, or None where no
    cpu cgroup is writable (not root, or no cpu controller)."""
    return join_group(group_parents(), pid, "cpu", _limit)


def join_accounting(pid: int) -> str | None:
    """With cgroup v1's cpuacct mounted apart from cpu: make `cnn-grader-<pid>` there and move this
    process in, so the CPU time of every process it starts is kept, reaped or not (a child whose
    parent ignores SIGCHLD is reaped by the kernel and its time reaches no one's counters)."""
    return join_group(cpuacct_group_parents(), pid, "cpuacct")

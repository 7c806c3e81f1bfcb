"""The worker's cgroups: a pids group (RLIMIT_NPROC does not hold for root), a memory group
(RLIMIT_DATA does not count shared memory) and a cpu group (one worker's fair part of the machine,
whatever it forks), each joined by the worker itself; the grader removes them
(`grader.supervisor.cgroup_cleanup`)."""

from __future__ import annotations

import os

from grader.wire.cgroup_places import PIDS_CGROUP_ROOTS
from grader.wire.control import CageReport as Report
from grader.worker import cpu_cgroup, memory_cgroup


def join_pids_cgroup(processes: int, report: Report) -> None:
    """Cap the number of processes with the pids cgroup controller (RLIMIT_NPROC does not hold
    for root): this process joins a group of its own, named after its PID as the grader sees it
    (it may be PID 1 of a new PID namespace by now). The grader removes the group when the
    worker has ended. Done by the worker itself, not by the zygote: joining waits for an RCU
    grace period (about 5 ms here), which would hold up every other worker's fork."""
    if os.geteuid() != 0:
        return
    pid = int(os.readlink("/proc/self"))  # /proc is the grader's: it shows the PID there
    for root in PIDS_CGROUP_ROOTS:
        try:
            if root.name != "pids" and "pids" not in (root / "cgroup.subtree_control").read_text():
                continue
            group = root / f"cnn-grader-{pid}"
            group.mkdir(exist_ok=True)
            # headroom for the interpreter's and torch's own threads
            (group / "pids.max").write_text(str(processes + 16))
            (group / "cgroup.procs").write_text("0")  # 0: the writing process
            report.cgroup = str(group)
            report.in_place.append(f"a pids cgroup ({processes} processes)")
            return
        except OSError:
            continue
    report.missing.append(
        "no pids cgroup is writable: the process limit rests on RLIMIT_NPROC, which "
        "the kernel does not enforce for root"
    )


def join_memory_cgroup(memory: int, report: Report) -> None:
    """Bound all the memory the worker makes the machine hold (shared memory, memfd and tmpfs
    files too, which RLIMIT_DATA does not count): a memory cgroup of its own, joined by this
    process like its pids cgroup (see `memory_cgroup`)."""
    group = memory_cgroup.join(memory, int(os.readlink("/proc/self")))
    if group is not None:
        report.memory_cgroup = group
        report.in_place.append("a memory cgroup (shared memory included)")
        return
    report.missing.append(
        "no memory cgroup is writable: the memory limit rests on RLIMIT_DATA, "
        "which does not count shared memory (MAP_SHARED, memfd_create, tmpfs "
        "files)"
    )


def join_cpu_cgroup(report: Report) -> None:
    """Share the cores fairly: the worker and every process it starts weigh as one process and
    use at most one core (see `cpu_cgroup`)."""
    pid = int(os.readlink("/proc/self"))
    group = cpu_cgroup.join(pid)
    report.cpuacct_cgroup = cpu_cgroup.join_accounting(pid)
    if group is not None:
        report.cpu_cgroup = group
        report.in_place.append("a cpu cgroup (one process's share, at most one core)")
        return
    report.missing.append(
        "no cpu cgroup is writable: each process a worker starts competes for the cores on its "
        "own, so a submission that starts many can slow its batch-mates (its own CPU time is "
        "still what its budgets count)"
    )

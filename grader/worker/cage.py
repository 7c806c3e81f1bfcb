"""The worker's cage, built from the kernel's own mechanisms (no Docker, no setuid helper).

Two steps, both run inside the worker process (standard library only, so the first runs
before torch is imported):

1. `contain()`, at start: new PID, network and IPC namespaces where the kernel lets us
   (as root, or through an unprivileged user namespace), pids, memory and cpu cgroups when root
   (`cgroups`), then a fork. The child is the worker proper (PID 1 of its namespace: when it
   dies, the kernel kills every process it started, in any session); the parent stays outside,
   reports the child's PID, and at the end how it ended and the CPU time it used.
2. `lockdown.lock_down()`, just before student code is loaded: resource limits, every
   capability dropped, no new privileges, seccomp and Landlock.

What a host lacks is reported in `Report.missing`; the grader says it once.
"""

from __future__ import annotations

import ctypes
import os
import signal

from grader.wire.control import CageReport, ending_of, send_control
from grader.worker.cgroups import join_cpu_cgroup, join_memory_cgroup, join_pids_cgroup
from grader.worker.libc import libc as _libc

CLONE_NEWIPC, CLONE_NEWUSER = 0x08000000, 0x10000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
_PR_SET_PDEATHSIG = 1
Report = CageReport  # the cage's own name for the record it sends on the control pipe


def unshare(flags: int) -> bool:
    return _libc.unshare(ctypes.c_int(flags)) == 0


def setns(fd: int, nstype: int) -> bool:
    return _libc.setns(fd, nstype) == 0


def die_with_parent() -> None:
    """SIGKILL this process when the thread that forked it ends."""
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _write(path: str, text: str) -> None:
    with open(path, "w") as file:
        file.write(text)


def _enter_namespaces(report: Report) -> None:
    flags = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC
    if unshare(flags):
        report.in_place.append("PID, network and IPC namespaces")
        return
    uid, gid = os.getuid(), os.getgid()
    if unshare(flags | CLONE_NEWUSER):  # unprivileged: map ourselves to ourselves
        try:
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"{uid} {uid} 1")
            _write("/proc/self/gid_map", f"{gid} {gid} 1")
        except OSError:
            pass
        report.in_place.append("PID, network and IPC namespaces (in a user namespace)")
        return
    report.missing.append(
        "namespaces are not available (not root, and unprivileged user namespaces are "
        "off): the worker has no private network (Landlock still denies TCP) and "
        "processes it starts in new sessions may outlive it"
    )


def contain(control_fd: int, processes: int, memory: int | None = None) -> Report:
    """Run in the worker at start. Returns in the child (the worker proper); the parent waits for
    it, writes `{"exit": ...}` on `control_fd` and exits. `control_fd` is closed in the child."""
    report = Report()
    _enter_namespaces(report)
    join_pids_cgroup(processes, report)
    if memory is not None:
        join_memory_cgroup(memory, report)
    join_cpu_cgroup(report)
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        os.close(control_fd)
        die_with_parent()
        if os.getppid() != parent and os.getpid() != 1:  # the parent died before the line above
            os._exit(1)
        return report
    _supervise(child, control_fd, report)
    raise AssertionError("unreachable")


def _supervise(child: int, control_fd: int, report: Report) -> None:
    """The parent's whole life: report the child, wait for it, report how it ended, exit alike."""
    die_with_parent()
    try:  # in the memory cgroup too: at its limit, the OOM killer must pick the worker, not us
        _write("/proc/self/oom_score_adj", "-1000")
    except OSError:
        pass
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(signum, signal.SIG_IGN)
    for fd in range(3, 256):  # the request and reply pipes belong to the child alone
        if fd != control_fd:
            try:
                os.close(fd)
            except OSError:
                pass
    send_control(control_fd, report.line(pid=child))
    while True:
        try:
            _, status, usage = os.wait4(child, 0)
            break
        except InterruptedError:
            continue
    send_control(control_fd, ending_of(status, usage).line())
    os._exit(0)  # the grader removes the cgroups, once this process has left them

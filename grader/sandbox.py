"""The worker's cage, built from the kernel's own mechanisms (no Docker, no setuid helper).

Two steps, both run inside the worker process (standard library only, so the first runs
before torch is imported):

1. `contain()`, at start: new PID, network and IPC namespaces where the kernel lets us
   (as root, or through an unprivileged user namespace), a pids cgroup when root, then a
   fork. The child is the worker proper (PID 1 of its namespace: when it dies, the kernel
   kills every process it started, in any session); the parent stays outside, reports the
   child's PID, and at the end how it ended and the CPU time it used.
2. `lock_down()`, just before student code is loaded: resource limits, every capability
   dropped, no new privileges, a seccomp filter (no chmod, chown, utime, xattr), and
   Landlock: read only the Python installation and the system's libraries, write only the
   worker's scratch folder, no TCP, no signals or abstract sockets out of the sandbox.

What a host lacks is reported in `Report.missing`; the grader says it once.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys
import sysconfig
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader import fsview, landlock, seccomp

CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x08000000, 0x10000000, 0x20000000, 0x40000000
_PR_SET_PDEATHSIG, _PR_CAPBSET_DROP, _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL = 1, 24, 47, 4
_CAP_VERSION_3 = 0x20080522
_libc = ctypes.CDLL(None, use_errno=True)

# Files outside the Python installation that torch, numpy and the interpreter read.
_SYSTEM_READ = ["/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib", "/usr/share/zoneinfo",
                "/etc/ld.so.cache", "/etc/localtime", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf",
                "/proc", "/sys/devices/system/cpu", "/sys/fs/cgroup", "/usr/bin", "/bin"]
_DEVICES = ["/dev/null", "/dev/zero", "/dev/full", "/dev/urandom", "/dev/random"]
_PIDS_CGROUP_ROOTS = [Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")]


@dataclass
class Report:
    """What the cage is made of on this host; `missing` explains each defence it lacks."""

    in_place: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    cgroup: str | None = None


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
    report.missing.append("namespaces are not available (not root, and unprivileged user namespaces are "
                          "off): the worker has no private network (Landlock still denies TCP) and "
                          "processes it starts in new sessions may outlive it")


def join_pids_cgroup(processes: int, report: Report) -> None:
    """Cap the number of processes with the pids cgroup controller (RLIMIT_NPROC does not hold
    for root): this process joins a group of its own, named after its PID as the grader sees it
    (it may be PID 1 of a new PID namespace by now). The grader removes the group when the
    worker has ended. Done by the worker itself, not by the zygote: joining waits for an RCU
    grace period (about 5 ms here), which would hold up every other worker's fork."""
    if os.geteuid() != 0:
        return
    pid = int(os.readlink("/proc/self"))  # /proc is the grader's: it shows the PID there
    for root in _PIDS_CGROUP_ROOTS:
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
    report.missing.append("no pids cgroup is writable: the process limit rests on RLIMIT_NPROC, which "
                          "the kernel does not enforce for root")


def remove_stale_cgroups(max_age: float = 60.0) -> list[str]:
    """Remove the pids cgroups of workers that are gone: left behind when a grader was killed
    before it could remove them (a worker's group holds it until it ends, and is removed right
    after). Only empty groups older than `max_age` seconds: a worker joins the one it makes
    within milliseconds, so another grader's live worker is never touched."""
    removed = []
    now = time.time()
    for root in _PIDS_CGROUP_ROOTS:
        try:
            groups = [child for child in root.iterdir() if child.name.startswith("cnn-grader-")]
        except OSError:
            continue
        for group in groups:
            try:
                if (group / "cgroup.procs").read_text().strip() or now - group.stat().st_mtime < max_age:
                    continue
                group.rmdir()
                removed.append(str(group))
            except OSError:
                continue  # in use after all, or not ours to remove
    return removed


def contain(control_fd: int, processes: int) -> Report:
    """Run in the worker at start. Returns in the child (the worker proper); the parent waits for
    it, writes `{"exit": ...}` on `control_fd` and exits. `control_fd` is closed in the child."""
    report = Report()
    _enter_namespaces(report)
    join_pids_cgroup(processes, report)
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
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(signum, signal.SIG_IGN)
    for fd in range(3, 256):  # the request and reply pipes belong to the child alone
        if fd != control_fd:
            try:
                os.close(fd)
            except OSError:
                pass
    send_control(control_fd, {"pid": child, "in_place": report.in_place, "missing": report.missing,
                              "cgroup": report.cgroup})
    while True:
        try:
            _, status, usage = os.wait4(child, 0)
            break
        except InterruptedError:
            continue
    send_control(control_fd, exit_report(status, usage))
    os._exit(0)  # the grader removes the pids cgroup, once this process has left it


def exit_report(status: int, usage: resource.struct_rusage) -> dict:
    """How a worker ended, for the control pipe: exit code or signal, CPU time, peak memory."""
    return {"exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "cpu": usage.ru_utime + usage.ru_stime, "max_rss_kib": usage.ru_maxrss}


def send_control(fd: int, message: dict) -> None:
    data = (json.dumps(message) + "\n").encode()
    try:
        os.write(fd, data)
    except OSError:
        pass


def _drop_capabilities(report: Report, run_as: str | None = None, scratch: Path | None = None,
                       processes: int = 32) -> None:
    """Root without capabilities: Landlock then confines it like any user, and it cannot raise its
    limits again. A separate user (`run_as`) only where the Python installation is readable by it
    (on this project's machines Python lives under /root, mode 0700); Gradescope's bundle sets one,
    since there nothing but the user keeps root-owned files (results.json) from student code when
    the kernel lacks Landlock."""
    if os.geteuid() != 0:
        return
    last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    for cap in range(last + 1):
        _libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)
    _libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    if run_as:
        _become(run_as, scratch, processes)
        report.in_place.append(f"all capabilities dropped; running as the user {run_as}")
        return
    header = (ctypes.c_uint32 * 2)(_CAP_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    if _libc.capset(header, data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")
    report.in_place.append("all capabilities dropped")


def _become(user: str, scratch: Path | None, processes: int) -> None:
    """Switch for good to an unprivileged user (setuid from root clears every capability), after
    giving it the scratch folder, the one place it may write."""
    uid, gid = fsview.user_ids(user)  # KeyError: the lock-down fails, and no student code runs
    if uid == 0:
        raise ValueError(f"the worker user {user!r} is root")
    if scratch is not None:  # no student code has run yet: what is in it the worker made itself
        for folder, _, files in os.walk(scratch):
            for name in [folder, *(os.path.join(folder, f) for f in files)]:
                os.chown(name, uid, gid, follow_symlinks=False)
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid,) * 3 or os.getresgid() != (gid,) * 3:
        raise OSError("the worker could not switch to its user")
    # Now RLIMIT_NPROC holds (it does not for root): a second process cap where no cgroup is writable.
    allowed = _tasks_of_this_user() + processes
    resource.setrlimit(resource.RLIMIT_NPROC, (allowed, allowed))


def _set_limits(limits, report: Report) -> None:
    def cap(kind: int, value: int) -> None:
        resource.setrlimit(kind, (value, value))

    cap(resource.RLIMIT_CORE, 0)
    # CPU time counts from the process's start: add what importing torch has used already. The
    # soft limit sends SIGXCPU (reported as the CPU limit); the hard one, a second later, SIGKILL.
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime + max(1.0, limits.cpu) + 0.5)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    cap(resource.RLIMIT_DATA, int(limits.memory))
    cap(resource.RLIMIT_FSIZE, int(limits.file_size))
    cap(resource.RLIMIT_NOFILE, int(limits.open_files))
    if os.geteuid() != 0:  # counts every process of this user: leave room for the ones already running
        cap(resource.RLIMIT_NPROC, _tasks_of_this_user() + int(limits.processes))
    report.in_place.append("resource limits (CPU, memory, files, file size, processes)")


def _tasks_of_this_user() -> int:
    uid, count = os.getuid(), 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(entry / "task"))
            except OSError:
                continue
    return count


def readable_paths() -> list[Path]:
    """The Python installation and system libraries: everything student code may read.
    Never a folder that holds the project (its solutions, checks and grader)."""
    from grader.paths import PROJECT_ROOT

    candidates = {Path(p) for p in sysconfig.get_paths().values()}
    candidates |= {Path(sys.base_prefix), Path(sys.prefix), Path(sys.executable).parent}
    # folders a .pth file added (a venv layered over another, as in the Gradescope bundle's test)
    candidates |= {Path(p) for p in sys.path if p and Path(p).is_dir()}
    candidates |= {Path(p) for p in _SYSTEM_READ}
    safe = []
    for path in candidates:
        try:
            resolved = path.resolve()
        except OSError:
            continue
        if resolved == PROJECT_ROOT or resolved in PROJECT_ROOT.parents:
            continue
        if resolved.is_relative_to(PROJECT_ROOT) and not any(
                resolved.is_relative_to(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix)):
            continue  # a project folder on sys.path (pytest's puts checks/ there), not the venv
        safe.append(resolved)
    return sorted(safe)


def lock_down(scratch: Path, limits, report: Report, run_as: str | None = None) -> Report:
    """Run in the worker just before student code: from here on nothing can be lifted."""
    readable = readable_paths()  # before the switch of user, which may lose sight of the grader
    run_as = fsview.isolate(scratch, readable, _DEVICES, int(limits.disk), report, run_as)
    _set_limits(limits, report)
    _drop_capabilities(report, run_as, scratch, int(limits.processes))
    if seccomp.supported():
        seccomp.refuse_metadata_changes()
        report.in_place.append("seccomp (no chmod, chown, utime or xattr changes)")
    else:
        report.missing.append("no seccomp filter for this machine: code may change the mode and times "
                              "of files its user owns (their contents stay protected by Landlock)")
    try:
        applied = landlock.restrict(read=readable, write=[scratch], devices=[Path(p) for p in _DEVICES])
    except landlock.LandlockUnavailable as exc:
        report.missing.append(f"{exc}: student code can read and write whatever the grader's user can")
    else:
        report.in_place.append(f"Landlock ABI {applied.abi} (files" + (", TCP" if applied.network else "")
                               + (", signals" if applied.signals else "") + ")")
        if not applied.network:
            report.missing.append("Landlock cannot deny TCP on this kernel (ABI < 4)")
        if not applied.signals:
            report.missing.append("Landlock cannot scope signals on this kernel (ABI < 6)")
    return report

"""The lock-down, run in the worker just before student code is loaded: resource limits, every
capability dropped (and another user where one is named), no new privileges, a seccomp filter
(no chmod, chown, utime, xattr, new sockets or io_uring), and Landlock: read only the Python
installation and the system's libraries, write only the worker's scratch folder, no TCP, no
signals or abstract sockets out of the sandbox. From here on nothing can be lifted."""

from __future__ import annotations

import ctypes
import functools
import os
import resource
import sys
import sysconfig
from pathlib import Path
from typing import TYPE_CHECKING

from grader.worker import fsview, landlock, seccomp
from grader.worker.libc import libc as _libc

if TYPE_CHECKING:
    from grader.wire.control import CageReport as Report

_PR_CAPBSET_DROP, _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL = 24, 47, 4
_CAP_VERSION_3 = 0x20080522
# Files outside the Python installation that torch, numpy and the interpreter read.
_SYSTEM_READ = [
    "/usr/lib",
    "/usr/lib64",
    "/lib",
    "/lib64",
    "/usr/local/lib",
    "/usr/share/zoneinfo",
    "/etc/ld.so.cache",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/proc",
    "/sys/devices/system/cpu",
    "/sys/fs/cgroup",
    "/usr/bin",
    "/bin",
]
_DEVICES = ["/dev/null", "/dev/zero", "/dev/full", "/dev/urandom", "/dev/random"]


def _drop_capabilities(
    report: Report, run_as: str | None = None, scratch: Path | None = None, processes: int = 32
) -> None:
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
    # Now RLIMIT_NPROC holds (it does not for root): a second process cap where no cgroup is
    # writable.
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
    if (
        os.geteuid() != 0
    ):  # counts every process of this user: leave room for the ones already running
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
    Never a folder that holds the project (its solutions, checks and grader). Worked out once
    per process: a zygote does it before it forks, so its workers do not each resolve them."""
    return list(_readable_paths())


@functools.cache
def _readable_paths() -> tuple[Path, ...]:
    from grader.workbook.paths import PROJECT_ROOT

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
            resolved.is_relative_to(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix)
        ):
            continue  # a project folder on sys.path (pytest's puts checks/ there), not the venv
        safe.append(resolved)
    return tuple(sorted(safe))


def lock_down(scratch: Path, limits, report: Report, run_as: str | None = None) -> Report:
    """Run in the worker just before student code: from here on nothing can be lifted."""
    readable = readable_paths()  # before the switch of user, which may lose sight of the grader
    run_as = fsview.isolate(scratch, readable, _DEVICES, int(limits.disk), report, run_as)
    _set_limits(limits, report)
    _drop_capabilities(report, run_as, scratch, int(limits.processes))
    if seccomp.supported():
        seccomp.refuse_metadata_changes()
        report.in_place.append(
            "seccomp (no chmod, chown, utime or xattr changes, no new sockets, no io_uring)"
        )
    else:
        report.missing.append(
            "no seccomp filter for this machine: code may change the mode and times "
            "of files its user owns (their contents stay protected by Landlock) "
            "and connect to Unix sockets that have a path"
        )
    try:
        applied = landlock.restrict(
            read=readable, write=[scratch], devices=[Path(p) for p in _DEVICES]
        )
    except landlock.LandlockUnavailable as exc:
        report.missing.append(
            f"{exc}: student code can read and write whatever the grader's user can"
        )
    else:
        report.in_place.append(
            f"Landlock ABI {applied.abi} (files"
            + (", TCP" if applied.network else "")
            + (", signals" if applied.signals else "")
            + ")"
        )
        if not applied.network:
            report.missing.append("Landlock cannot deny TCP on this kernel (ABI < 4)")
        if not applied.signals:
            report.missing.append("Landlock cannot scope signals on this kernel (ABI < 6)")
    return report

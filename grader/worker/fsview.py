"""The worker's own view of the file system, built the way bubblewrap and nsjail build theirs.

In a new mount namespace (every mount made private first, so nothing leaks back to the host):
a tmpfs as the new root holding only read-only bind mounts of what student code may read (the
Python installation, the system's libraries), the few /dev nodes, a fresh /proc for the worker's
own PID namespace, and a private /tmp on a tmpfs whose size is the `disk` limit, holding the
scratch folder; then pivot_root, and the old root detached. /run, /home, the project, other
workers' folders have no name in it at all, so no path (a Unix socket's included) can reach them.

Bind mounts show a folder without its parents' permissions: Python under /root (mode 0700) is
readable there by an unprivileged uid, so the worker need not stay root.
Needs CAP_SYS_ADMIN (root, or in a user namespace); `enter` returns False when the kernel
refuses a mount namespace, and the caller says so once.
"""

from __future__ import annotations

import ctypes
import os
import platform
from pathlib import Path

from grader.worker.libc import libc as _libc

CLONE_NEWNS = 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
_AT_FDCWD, _AT_RECURSIVE = -100, 0x8000
_MOUNT_ATTR_RDONLY, _MOUNT_ATTR_NOSUID, _MOUNT_ATTR_NODEV = 1, 2, 4
_SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}.get(platform.machine(), 155)
_SYS_MOUNT_SETATTR = 442  # the same number on x86_64 and aarch64

# Symbolic links of merged-/usr systems (/lib -> usr/lib): bind mounts are made at resolved
# paths, so the links the dynamic loader and `#!` lines use are made again in the view.
_LINKS = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr/lib64", "/etc/localtime"]
_ROOT_SIZE = "size=1m,nr_inodes=4096,mode=0755"  # the root only holds the mount points

# A dedicated uid per worker (not in /etc/passwd, so no account's files are its own): workers
# never share a uid, so RLIMIT_NPROC, which counts a uid's processes, is the worker's own.
DEDICATED_UID_BASE = 1_500_000_000


class _MountAttr(ctypes.Structure):
    _fields_ = [
        ("attr_set", ctypes.c_uint64),
        ("attr_clr", ctypes.c_uint64),
        ("propagation", ctypes.c_uint64),
        ("userns_fd", ctypes.c_uint64),
    ]


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None
) -> None:
    def enc(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    _check(
        _libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
        f"mount {source or fstype} on {target}",
    )


def _read_only(target: str) -> None:
    """Make a bind mount and every mount under it read-only, without set-uid or devices."""
    attr = _MountAttr(_MOUNT_ATTR_RDONLY | _MOUNT_ATTR_NOSUID | _MOUNT_ATTR_NODEV, 0, 0, 0)
    done = _libc.syscall(
        ctypes.c_long(_SYS_MOUNT_SETATTR),
        ctypes.c_int(_AT_FDCWD),
        os.fsencode(target),
        ctypes.c_uint(_AT_RECURSIVE),
        ctypes.byref(attr),
        ctypes.c_size_t(ctypes.sizeof(attr)),
    )
    if done != 0:  # before Linux 5.12: the top mount only (Landlock still denies writes below)
        _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _outermost(paths: list[Path]) -> list[Path]:
    """The paths none of whose parents is in the list: a bind mount already shows the rest."""
    kept: list[Path] = []
    for path in sorted(set(paths)):
        if not any(path.is_relative_to(outer) for outer in kept):
            kept.append(path)
    return kept


def _bind(root: str, source: Path, recursive: bool = True) -> None:
    target = root + str(source)
    if source.is_dir():
        os.makedirs(target, mode=0o755, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
        os.close(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_CLOEXEC, 0o644))
    _mount(str(source), target, None, MS_BIND | (MS_REC if recursive else 0))


def _proc(root: str) -> bool:
    """A procfs of the worker's own PID namespace; else the host's, read-only. Whether fresh."""
    os.makedirs(root + "/proc", mode=0o555, exist_ok=True)
    try:
        _mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        return True
    except OSError:
        _bind(root, Path("/proc"))
        _read_only(root + "/proc")
        return False


def _scratch(root: str, scratch: Path, disk: int, owner: tuple[int, int] | None) -> None:
    """A private /tmp of `disk` bytes, and the scratch folder in it, at the path it has outside
    (error messages and HOME name it alike); elsewhere than /tmp, a bind mount of a folder in it."""
    inside = (root + str(scratch)) if scratch.is_relative_to("/tmp") else root + "/tmp/scratch"
    os.makedirs(inside, mode=0o700)
    if owner is not None:
        os.chown(inside, *owner)
    if not scratch.is_relative_to("/tmp"):
        os.makedirs(root + str(scratch), mode=0o755)
        _mount(inside, root + str(scratch), None, MS_BIND)


def enter(
    scratch: Path,
    readable: list[Path],
    devices: list[str],
    disk: int,
    owner: tuple[int, int] | None = None,
) -> list[str] | None:
    """Move this process into its own view (see the module's text); `owner` (uid, gid) gets the
    scratch folder. Returns notes on what is weaker than planned, or None when the kernel allows
    no mount namespace. Raises OSError when a step fails after that: the caller fails closed."""
    if _libc.unshare(ctypes.c_int(CLONE_NEWNS)) != 0:
        return None
    notes = []
    _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing done here propagates to the host
    root = str(scratch)  # the grader's empty scratch folder, only ever mounted over in here
    _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, _ROOT_SIZE)
    os.mkdir(root + "/tmp")  # first: a readable folder under /tmp (a test's venv) is bound into it
    _mount("tmpfs", root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={disk},mode=1777")
    for path in _outermost([p for p in readable if p not in (Path("/proc"), Path("/tmp"))]):
        if path.exists() and not path.is_relative_to(scratch):
            _bind(root, path)
            _read_only(root + str(path))
    for link in _LINKS:
        if os.path.islink(link) and not os.path.lexists(root + link):
            os.makedirs(os.path.dirname(root + link), mode=0o755, exist_ok=True)
            os.symlink(os.readlink(link), root + link)
    os.makedirs(root + "/dev", mode=0o755)
    for device in devices:
        if os.path.exists(device):
            _bind(root, Path(device), recursive=False)
    if not _proc(root):
        notes.append(
            "no fresh /proc could be mounted: the worker sees the host's processes' "
            "names (Landlock still denies access to them)"
        )
    _scratch(root, scratch, disk, owner)
    _mount(None, root, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    os.chdir(root)
    _check(_libc.syscall(ctypes.c_long(_SYS_PIVOT_ROOT), b".", b"."), "pivot_root")
    _check(_libc.umount2(b".", ctypes.c_int(MNT_DETACH)), "detaching the old root")
    os.chdir(scratch)
    return notes


def user_ids(user: str) -> tuple[int, int]:
    """(uid, gid) of `user`: a name from /etc/passwd, or "#UID" for a uid of no account."""
    if user.startswith("#"):
        uid = int(user[1:])
        return uid, uid
    import pwd

    entry = pwd.getpwnam(user)  # KeyError: the lock-down fails, and no student code runs
    return entry.pw_uid, entry.pw_gid


def dedicated_user(host_pid: int) -> str:
    """The worker's own uid, from its PID outside (unique among the workers alive)."""
    return f"#{DEDICATED_UID_BASE + host_pid}"


def isolate(
    scratch: Path, readable: list[Path], devices: list[str], disk: int, report, run_as: str | None
) -> str | None:
    """Enter the view where the host allows it, and say so in `report` (a `CageReport`).
    Returns the user student code runs as: `run_as`, or, as root in the view, a dedicated uid
    (root without the view stays root: Python may live under a folder only root can enter)."""
    from grader.workbook.limits import format_size

    root = os.geteuid() == 0
    user = run_as or (dedicated_user(int(os.readlink("/proc/self"))) if root else None)
    notes = enter(scratch, readable, devices, disk, user_ids(user) if user and root else None)
    if notes is None:
        report.missing.append(
            "no mount namespace: the worker sees the host's file system "
            "(Landlock still limits what it reads and writes) and the disk "
            "limit does not hold"
        )
        return run_as
    report.in_place.append(f"its own file-system view ({format_size(disk)} of disk)")
    report.missing.extend(notes)
    return user

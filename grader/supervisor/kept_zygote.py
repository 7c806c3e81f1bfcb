"""`grader check`'s zygote kept between commands (`grader.worker.kept_zygote`): connect to this
checkout's, or start it, so that the next check does not import torch a second time.

One per user and grader: its socket is in a folder only this user can enter
(`zygote_place.private_folder`), named by the key of the grader's files, the Python and torch
(`zygote_place.code_key`), so a `git pull` never talks to an old zygote. A lock file decides who
starts it when two checks race; the zygote takes it too before it leaves. Whatever goes wrong
(no folder, a lock held too long, a zygote that does not answer), the caller falls back to a
zygote of its own: `connect` returns None, and says why on stderr only if the user should act.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from grader.supervisor.environment import worker_env
from grader.supervisor.zygote_client import Zygote
from grader.workbook import zygote_place

LOCK_WAIT = 5.0  # seconds a check waits for another's start before starting its own zygote
_said: set[str] = set()


def kept_zygote_enabled() -> bool:
    return not os.environ.get(zygote_place.NO_KEEP_VARIABLE)


def connect() -> Zygote | None:
    """This checkout's kept zygote, started if need be; None to fall back to one of our own."""
    try:
        folder = zygote_place.private_folder()
    except zygote_place.Refused as exc:
        _say(f"grader: not keeping the zygote between checks: {exc}")
        return None
    except OSError:
        return None  # no such place on this host: silently as before
    key = zygote_place.code_key()
    path, lock = folder / f"zygote-{key}.sock", folder / f"zygote-{key}.lock"
    if len(str(path)) > 100:  # sun_path holds 108 bytes
        return None
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError:
        return None
    try:
        if not _lock(fd):
            return None
        sock = _connect(path)
        if sock is None:
            sock = _start(folder, path, lock, key)
        return Zygote(attach=(sock, None)) if sock is not None else None
    finally:
        os.close(fd)  # and the lock with it


def _say(line: str) -> None:
    if line not in _said:
        _said.add(line)
        print(line, file=sys.stderr)


def _lock(fd: int) -> bool:
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)


def _connect(path: Path) -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET | socket.SOCK_CLOEXEC)
    try:
        sock.connect(str(path))
        return sock
    except OSError:  # none there, or a socket left by a zygote that died: start another
        sock.close()
        return None


def _write_pid(path: Path, pid: int) -> None:
    """The zygote's PID, for `running_zygotes` (tests, the benchmark's count of its CPU time)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(f"{pid}\n")


def running_zygotes(folder: Path) -> list[int]:
    """The PIDs of the kept zygotes started in `folder` that are still running."""
    pids = []
    for path in sorted(folder.glob("zygote-*.pid")):
        with contextlib.suppress(OSError, ValueError):
            pid = int(path.read_text())
            if b"grader.worker.kept_zygote" in _command_line(pid):
                pids.append(pid)
    return pids


def _command_line(pid: int) -> bytes:
    """A process's command line; read again for a moment while it is empty, as it is for a
    process just started (seen right after `_start` returned)."""
    for _ in range(50):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        if cmdline:
            return cmdline
        time.sleep(0.02)
    return b""


def _start(folder: Path, path: Path, lock: Path, key: str) -> socket.socket | None:
    """Bind the socket here (the zygote inherits it, listening: the grader can connect at once
    and send its request while the zygote still imports torch), then start the zygote."""
    if os.geteuid() == 0:
        from grader.supervisor.cgroup_cleanup import remove_stale_cgroups

        remove_stale_cgroups()  # a killed grader's leftovers, before this zygote adds its own
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # a dead zygote's (under the lock: no live one is listening there)
    scratch = folder / f"zygote-{key}"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        with contextlib.suppress(FileExistsError):
            os.mkdir(scratch, 0o700)
        log = os.open(
            folder / f"zygote-{key}.log",
            os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC,
            0o600,
        )
        try:
            listener.bind(str(path))
            listener.listen(64)
            started = subprocess.Popen(
                [
                    sys.executable,
                    "-I",
                    "-m",
                    "grader.worker.kept_zygote",
                    str(listener.fileno()),
                    str(zygote_place.idle_seconds()),
                    str(path),
                    str(lock),
                    key,
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                pass_fds=[listener.fileno()],
                cwd=scratch,
                env=worker_env(str(scratch)),
                start_new_session=True,
            )
            _write_pid(folder / f"zygote-{key}.pid", started.pid)
        finally:
            os.close(log)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)
        return None
    finally:
        listener.close()
    return _connect(path)

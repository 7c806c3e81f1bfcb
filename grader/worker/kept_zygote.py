"""The kept zygote: the zygote of `grader check`, kept between commands so that the next check
does not import torch again.

Started as `python -I -m grader.worker.kept_zygote LISTEN_FD IDLE_SECONDS SOCKET LOCK KEY` by
the first `grader check` (`grader.supervisor.kept_zygote`), in its own session, outliving it. The
listening socket was bound by that grader in a folder only its user can enter; each connection
is one grading process, whose user is checked again (SO_PEERCRED) before anything is read. Each
connection's requests are answered as the zygote of one command answers them
(`zygote.take_request`): every request carries its own reply socket, its limits, environment and
folder, so nothing of one command is kept for the next but the imported modules.

It exits once no grader has been connected and no worker alive for IDLE_SECONDS, or at once
when idle if the grader's files changed (`zygote_place.code_key`): under the lock the graders
take to start one, after removing its socket, so that no grader connects to a zygote on its way
out.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import shutil
import signal
import socket
import struct
import sys
import time

from grader.workbook.zygote_place import code_key
from grader.worker import hugepages
from grader.worker.zygote import REFOLD_AFTER, Supervisor, preload, take_request

KEY_EVERY = 60.0  # seconds between two looks at the grader's files


def peer_is_us(conn: socket.socket) -> bool:
    """Whether the process at the other end runs as this zygote's user."""
    try:
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return False
    _, uid, _ = struct.unpack("3i", creds)
    return uid == os.getuid()


class KeptZygote:
    def __init__(self, listener: socket.socket, idle: float, path: str, lock: str, key: str):
        self.listener, self.idle, self.path, self.lock, self.key = listener, idle, path, lock, key
        self.connections: set[socket.socket] = set()
        self.supervisor = Supervisor()
        self.folder = hugepages.Collapser()
        self.last_used = time.monotonic()
        self.key_checked = -KEY_EVERY  # the first look at the files: as soon as it is idle
        self.stale = False
        self.forks = 0

    def serve(self) -> None:
        self.folder.start()
        while True:
            busy = self.connections or self.supervisor.children
            waiting = [self.listener, *self.connections, *self.supervisor.children]
            timeout = 0.02 if not self.folder.done else (1.0 if busy else self._until_idle())
            ready, _, _ = select.select(waiting, [], [], timeout)
            if busy or ready:
                self.last_used = time.monotonic()
            for item in ready:
                if item is self.listener:
                    self._accept()
                elif isinstance(item, socket.socket):
                    self._answer(item)
                else:
                    self.supervisor.reap(item)
            if not ready and not self.folder.done:
                self.folder.step()
            if not (self.connections or self.supervisor.children) and self._should_go():
                if self._leave():
                    return

    def _until_idle(self) -> float:
        left = self.last_used + self.idle - time.monotonic()
        return max(0.05, min(left, KEY_EVERY))

    def _accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        if peer_is_us(conn):
            self.connections.add(conn)
        else:
            conn.close()  # another user: never read a byte of it

    def _answer(self, conn: socket.socket) -> None:
        still_open, imported, forked = take_request(conn, self.supervisor)
        self.forks += forked
        if not still_open:
            self.connections.discard(conn)
            conn.close()
        elif imported or (forked and self.forks % REFOLD_AFTER == 0 and self.folder.folded):
            self.folder.start()  # new modules, or the pages its own writes split since

    def _should_go(self) -> bool:
        now = time.monotonic()
        if now - self.key_checked >= KEY_EVERY:
            self.key_checked = now
            self.stale = self.stale or code_key() != self.key
        return self.stale or now - self.last_used >= self.idle

    def _leave(self) -> bool:
        """Remove the socket and go, unless a grader is starting one or has just connected."""
        try:
            fd = os.open(self.lock, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            fd = -1
        try:
            if fd >= 0:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if select.select([self.listener], [], [], 0)[0]:
                self.last_used = time.monotonic()  # someone just connected: stay
                return False
            stem = self.path.removesuffix(".sock")
            for leftover in (self.path, stem + ".pid", stem + ".log"):
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
            # its working folder and HOME (imports may cache there): the lock file alone stays
            shutil.rmtree(stem, ignore_errors=True)
            self.listener.close()
            return True
        except BlockingIOError:
            return False  # a grader holds the lock: it is about to connect
        finally:
            if fd >= 0:
                os.close(fd)


def main(argv: list[str]) -> None:
    """`LISTEN_FD IDLE_SECONDS SOCKET LOCK KEY`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # its own session has no terminal: no SIGHUP
    listener = socket.socket(fileno=int(argv[0]))
    preload(set())
    KeptZygote(listener, float(argv[1]), argv[2], argv[3], argv[4]).serve()


if __name__ == "__main__":
    main(sys.argv[1:])

"""The grader's side of the zygote (`grader.worker.zygote`): ask it for workers, watch them."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile

from grader.supervisor.environment import worker_env


class Forked:
    """A worker forked by the zygote: not this process's child, so watched through a pidfd."""

    def __init__(self, pid: int, pidfd: int | None) -> None:
        self.pid, self._pidfd, self._ended = pid, pidfd, pidfd is None

    def wait(self, timeout: float = 10.0) -> int | None:
        if not self._ended and self._pidfd is not None:
            self._ended = bool(select.select([self._pidfd], [], [], timeout)[0])
        return (
            -1 if self._ended else None
        )  # the exit status is the zygote's; the control pipe tells it

    def poll(self) -> int | None:
        return self.wait(0)

    def release(self) -> None:
        if self._pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(self._pidfd)
            self._pidfd = None


class Zygote:
    """The grader's side of `grader.worker.zygote`, a process that imports torch once and forks
    workers.

    `fork()` only sends the request: the grader goes on (importing pytest and torch itself) while
    the zygote finishes its imports; `result()` collects the answer when the worker is first used.
    Each request carries its own reply socket, so the grading processes of a batch can share one
    zygote (`Zygote(attach=zygote.sockets)`) without their answers crossing.

    Given warm-ups, the zygote starts a second one for the workers that want them (it imports
    them on the other core meanwhile), so that the first exercises need not wait for a second
    of torch._dynamo and torchvision they do not use. Once that one has answered, it forks
    every worker: its memory is the one folded into huge pages, so its forks are the cheap ones.
    """

    def __init__(
        self,
        warm_up: tuple[str, ...] = (),
        attach: tuple[socket.socket, socket.socket | None] | None = None,
    ) -> None:
        self.broken: str | None = None
        self.process: subprocess.Popen | None = None
        self._warm_ready = False
        if attach is not None:
            self.socket, self.warm_socket = attach
            return
        if os.geteuid() == 0:
            from grader.supervisor.cgroup_cleanup import remove_stale_cgroups

            remove_stale_cgroups()  # a killed grader's leftovers, before this run adds its own
        self._scratch = tempfile.TemporaryDirectory(prefix="grader-zygote-")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        passed = [theirs]
        self.warm_socket = None
        if warm_up:
            self.warm_socket, warm_theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            passed.append(warm_theirs)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-I",
                "-m",
                "grader.worker.zygote",
                *(str(s.fileno()) for s in passed),
                *warm_up,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=[s.fileno() for s in passed],
            cwd=self._scratch.name,
            env=worker_env(self._scratch.name),
            start_new_session=True,
        )
        for end in passed:
            end.close()
        self.socket = ours

    @property
    def sockets(self) -> tuple[socket.socket, socket.socket | None]:
        """What another process passes as `attach` to share this zygote."""
        return self.socket, self.warm_socket

    def hung_up(self) -> bool:
        """Whether the zygote has closed its end: it never writes on this socket, so readable
        means gone (a kept zygote killed between two workers of a command)."""
        return bool(select.select([self.socket], [], [], 0)[0])

    def fork(self, request: dict, fds: tuple[int, ...]) -> tuple[socket.socket, bool] | None:
        """Ask for a worker; returns the socket its answer comes on and whether the warm zygote
        was asked, or None when the zygote is gone."""
        if self.broken:
            return None
        answer, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        warm = self.warm_socket is not None and (self._warm_ready or bool(request.get("warm_up")))
        target = self.warm_socket if warm else self.socket
        try:
            socket.send_fds(target, [json.dumps(request).encode()], [theirs.fileno(), *fds])
        except OSError as exc:
            self.broken = f"the zygote is gone ({exc})"
            answer.close()
            return None
        finally:
            theirs.close()
        return answer, warm

    def result(self, ticket: tuple[socket.socket, bool]) -> Forked | None:
        """The forked worker (after the zygote's imports if need be), or None if there is none."""
        answer, warm = ticket
        try:
            message, fds, _, _ = socket.recv_fds(answer, 4096, 1)
            reply = json.loads(message) if message else {}
        except (OSError, ValueError):
            reply, fds = {}, []
        finally:
            answer.close()
        if "pid" in reply:
            self._warm_ready = (
                self._warm_ready or warm
            )  # it has its imports: it takes every request now
            return Forked(int(reply["pid"]), fds[0] if fds else None)
        for fd in fds:
            os.close(fd)
        if not reply:
            self.broken = "the zygote exited"
        return None

    def close(self) -> None:
        for end in self.sockets:
            if end is not None:
                with contextlib.suppress(OSError):
                    end.close()
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self._scratch.cleanup()

"""The zygote: a process that imports torch once and forks a worker for each exercise.

Started as `python -I -m grader.worker.zygote SOCKET_FD [WARM_SOCKET_FD WARM_UP...]`, at the
same time as the grading process imports its own modules, so the two imports overlap on two
cores. It imports torch, numpy and the worker's modules, but runs no torch operation and starts
no thread pool (a fork copies one thread only: a pool started here would leave a child waiting
on threads it does not have).

Each request on the socket (a JSON object, with the worker's four pipe ends attached as
SCM_RIGHTS) forks a child that becomes a worker exactly as `grader.worker` does: its own
session, stdout and stderr on the output pipe, a scrubbed environment, then
`cage.contain` (namespaces, a supervising parent) and `worker_server.serve`, which locks the
process down before it loads student code. The zygote answers with the child's PID and a pidfd.
Student code never runs in the zygote, and the zygote never reads anything a worker sends.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import select
import signal
import socket
import sys

from grader.wire.control import ending_of, send_control
from grader.worker import cage, cgroups, hugepages

MAX_REQUEST = 1 << 16
NAMESPACES = "PID, network and IPC namespaces"  # what a supervised worker enters
# forks: the zygote's own writes after each fork split a few huge pages again. Only the kept
# zygote refolds after so many: in a batch, refolding copied about 0.5 CPU s each time to save
# about 1 ms a fork (docs/performance.md, "The compute floor").
REFOLD_AFTER = 64


def preload(warm_up: set[str]) -> bool:
    """Imports only: what every worker needs, and what a warm-up asked for (torchvision). Whether
    anything was imported. Without the garbage collector: torch's import alone makes about 400
    collections, 3 of them full (0.2 s of CPU); what it made is frozen before each fork anyway."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _preload(warm_up)
    finally:
        if collecting:
            gc.enable()


def _preload(warm_up: set[str]) -> bool:
    before = len(sys.modules)
    import torch  # noqa: F401
    import torch.optim  # noqa: F401

    from grader.worker import server as worker_server  # noqa: F401  (torch, numpy, the protocol, the sandbox)
    from grader.worker.lockdown import readable_paths

    readable_paths()  # resolved once here, inherited by every fork

    if "optimizer" in warm_up:  # what an optimizer's first step imports (about a second)
        import torch._dynamo  # noqa: F401
    if "torchvision" in warm_up:
        import PIL.Image  # noqa: F401
        import torchvision.datasets  # noqa: F401
        import torchvision.transforms  # noqa: F401
    from grader import digits

    digits.keep(warm_up)  # drawn here, before the fork: no worker's budget pays for them
    return len(sys.modules) != before


def _prepare_child(request: dict, fds: list[int], keep_control: bool) -> None:
    """In a forked child: its own session, stdout and stderr on the output pipe, no descriptor
    but its own pipes (not the zygote's socket, nor other workers' pipes), the scrubbed
    environment and the scratch folder."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.setsid()
    request_r, reply_w, control_w, output_w = fds
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(output_w, 1)
    os.dup2(output_w, 2)
    keep = {0, 1, 2, request_r, reply_w} | ({control_w} if keep_control else set())
    for name in os.listdir("/proc/self/fd"):
        if int(name) not in keep:
            try:
                os.close(int(name))
            except OSError:
                pass
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])


def _become_worker(request: dict, fds: list[int], supervised: bool) -> None:
    """In the forked child: never returns. `supervised`: this process is already PID 1 of a new
    PID namespace and the zygote reports how it ends; it only needs its own network and IPC
    namespaces. Otherwise `cage.contain` builds the namespaces and a supervising parent."""
    code = 1
    try:
        from grader.worker import server as worker_server

        limits = request["limits"]
        if supervised:
            cage.die_with_parent()
            if not cage.unshare(cage.CLONE_NEWNET | cage.CLONE_NEWIPC):
                raise OSError(
                    ctypes.get_errno(), "unshare of the network and IPC namespaces failed"
                )
            report = cage.Report(in_place=[NAMESPACES])
            cgroups.join_pids_cgroup(int(limits["processes"]), report)
            cgroups.join_memory_cgroup(int(limits["memory"]), report)
            cgroups.join_cpu_cgroup(report)
            send_control(fds[2], report.line())
            _prepare_child(request, fds, keep_control=False)  # the control pipe is the zygote's now
        else:
            _prepare_child(request, fds, keep_control=True)
            report = cage.contain(
                fds[2], processes=int(limits["processes"]), memory=int(limits["memory"])
            )
        worker_server.serve(
            fds[0], fds[1], limits=limits, report=report, warm_up=set(request.get("warm_up", []))
        )
        code = 0
    except BaseException:  # noqa: BLE001 - the child must never return into the zygote's loop
        try:
            import traceback

            traceback.print_exc()
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(code)


class Supervisor:
    """The zygote as each worker's parent. As root, it forks each worker straight into a new PID
    namespace (back to its own first, with setns, then unshare), so the worker is PID 1 there
    and no second fork of this large process is needed; it then tells the grader the worker's
    PID on the control pipe (the worker adds its pids cgroup there before it says ready), and,
    when it ends, how (from wait4).
    Elsewhere the forked child builds its own namespaces and supervisor (`cage.contain`)."""

    def __init__(self) -> None:
        self.children: dict[int, tuple[int, int | None]] = {}  # pidfd -> (pid, control pipe)
        self.direct = os.geteuid() == 0
        self._own_pid_namespace = os.open("/proc/self/ns/pid", os.O_RDONLY) if self.direct else -1

    def fork(self) -> tuple[int, bool]:
        """os.fork(); and whether the child is PID 1 of a new PID namespace, supervised here."""
        if self.direct and not (
            cage.setns(self._own_pid_namespace, cage.CLONE_NEWPID)
            and cage.unshare(cage.CLONE_NEWPID)
        ):
            self.direct = False  # fall back to the worker's own namespaces, for good
        return os.fork(), self.direct

    def adopt(self, pid: int, supervised: bool, control: int) -> list[int]:
        """Watch the child; return a pidfd for the grader (empty if the child is gone)."""
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            pidfd = -1
        if supervised:  # the worker joins its pids cgroup itself and says so on this pipe too
            send_control(control, {"pid": pid, "in_place": [NAMESPACES]})
        else:
            os.close(control)
        if pidfd < 0:
            self._report_end(pid, control if supervised else None)
            return []
        self.children[pidfd] = (pid, control if supervised else None)
        return [os.dup(pidfd)]

    def reap(self, pidfd: int) -> None:
        pid, control = self.children.pop(pidfd)
        os.close(pidfd)
        self._report_end(pid, control)

    def _report_end(self, pid: int, control: int | None) -> None:
        try:
            _, status, usage = os.wait4(pid, 0)
        except ChildProcessError:
            status, usage = None, None
        if control is None:
            return
        if usage is not None:
            send_control(control, ending_of(status, usage).line())
        os.close(control)


def serve(sock: socket.socket, fold: bool = True) -> None:
    """Answer fork requests until every grading process has closed its end of `sock`. Each request
    brings its own reply socket (a fresh socketpair's end) and the worker's four pipe ends: the
    grading processes of a batch share `sock`, and each message is whole (SOCK_SEQPACKET).
    While nothing waits, the zygote folds its memory into huge pages, a slice at a time (unless
    `fold` is False: a zygote whose warm sibling takes over after the first second)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
    supervisor = Supervisor()
    folder = hugepages.Collapser()
    if fold:
        folder.start()
    while True:
        ready, _, _ = select.select(
            [sock, *supervisor.children], [], [], None if folder.done else 0.02
        )
        for fd in ready:
            if fd is not sock:
                supervisor.reap(fd)
        if sock not in ready:
            if not ready and not folder.done:
                folder.step()
            continue
        still_open, imported, _ = take_request(sock, supervisor)
        if not still_open:
            return  # the grader closed its end
        if imported and fold:
            folder.start()  # what was just imported, folded too while idle


def take_request(sock: socket.socket, supervisor: Supervisor) -> tuple[bool, bool, bool]:
    """Read one fork request on `sock` and answer it: whether `sock` is still open, whether the
    request's warm-ups imported something, and whether a worker was forked."""
    try:
        message, fds, _, _ = socket.recv_fds(sock, MAX_REQUEST, 5)
    except (ConnectionError, OSError):
        return False, False, False
    if not message:
        return False, False, False
    if len(fds) != 5:
        for fd in fds:
            os.close(fd)
        return True, False, False
    reply, fds = socket.socket(fileno=fds[0]), fds[1:]
    imported = False
    try:
        request = json.loads(message)
        if not isinstance(request, dict):
            raise ValueError("a fork request is a JSON object")
        imported = preload(set(request.get("warm_up", [])))
        threads = len(os.listdir("/proc/self/task"))
        if threads != 1:  # a fork would copy one of them: refuse, the grader starts afresh
            raise RuntimeError(f"the zygote runs {threads} threads")
    except Exception as exc:  # noqa: BLE001 - a bad request is answered, not fatal
        for fd in fds:
            os.close(fd)
        _answer(reply, {"error": f"{type(exc).__name__}: {exc}"}, [])
        return True, imported, False
    gc.freeze()  # a child's garbage collections then leave the inherited objects' pages shared
    pid, supervised = supervisor.fork()
    if pid == 0:
        _become_worker(request, fds, supervised)
    for fd in (fds[0], fds[1], fds[3]):
        os.close(fd)
    pidfd = supervisor.adopt(pid, supervised, fds[2])
    _answer(reply, {"pid": pid}, pidfd)
    for fd in pidfd:
        os.close(fd)
    return True, imported, True


def _answer(reply: socket.socket, message: dict, fds: list[int]) -> None:
    try:
        socket.send_fds(reply, [json.dumps(message).encode()], fds)
    except OSError:
        pass  # that grading process has gone
    finally:
        reply.close()


def main(argv: list[str]) -> None:
    """`SOCKET_FD [WARM_SOCKET_FD WARM_UP...]`. With warm-ups, the zygote forks a second zygote
    as soon as torch is in: that one imports the warm-ups (about a second, on the other core),
    answers the requests that want them and, once it has answered a grading process, all of
    that process's requests (`zygote_client.Zygote` routes them). This one forks the workers
    of the exercises that need nothing more meanwhile, and does not spend the second of CPU
    time that folding its memory takes: it is not used for long."""
    cage.die_with_parent()
    sock = socket.socket(fileno=int(argv[0]))
    warm = socket.socket(fileno=int(argv[1])) if len(argv) > 1 else None
    preload(set())
    if warm is not None:
        if os.fork() == 0:
            try:
                cage.die_with_parent()
                sock.close()
                preload(set(argv[2:]))
                serve(warm)
            finally:
                os._exit(0)
        warm.close()
    serve(sock, fold=warm is None)


if __name__ == "__main__":
    main(sys.argv[1:])

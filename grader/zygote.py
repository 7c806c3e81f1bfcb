"""The zygote: a process that imports torch once and forks a worker for each exercise.

Started as `python -I -m grader.zygote SOCKET_FD`, at the same time as the grading process
imports its own modules, so the two imports overlap on two cores. It imports torch, numpy and
the worker's modules, but runs no torch operation and starts no thread pool (a fork copies one
thread only: a pool started here would leave a child waiting on threads it does not have).

Each request on the socket (a JSON object, with the worker's four pipe ends attached as
SCM_RIGHTS) forks a child that becomes a worker exactly as `grader.worker` does: its own
session, stdout and stderr on the output pipe, a scrubbed environment, then
`sandbox.contain` (namespaces, a supervising parent) and `worker_server.serve`, which locks the
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

_PR_SET_PDEATHSIG = 1
MAX_REQUEST = 1 << 16


def _die_with_parent() -> None:
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _preload(warm_up: set[str]) -> None:
    """Imports only: what every worker needs, and what a warm-up asked for once (torchvision)."""
    import torch  # noqa: F401
    import torch.optim  # noqa: F401

    from grader import worker_server  # noqa: F401  (torch, numpy, the protocol, the sandbox)

    if "optimizer" in warm_up:  # what an optimizer's first step imports (about a second)
        import torch._dynamo  # noqa: F401
    if "torchvision" in warm_up:
        import PIL.Image  # noqa: F401
        import torchvision.datasets  # noqa: F401
        import torchvision.transforms  # noqa: F401


def _become_worker(request: dict, fds: list[int], keep_out: int) -> None:
    """In the forked child: never returns."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        request_r, reply_w, control_w, output_w = fds
        os.close(keep_out)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(output_w, 1)
        os.dup2(output_w, 2)
        keep = {0, 1, 2, request_r, reply_w, control_w}
        for name in os.listdir("/proc/self/fd"):
            fd = int(name)
            if fd not in keep:
                try:
                    os.close(fd)
                except OSError:
                    pass
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        from grader import sandbox, worker_server

        limits = request["limits"]
        report = sandbox.contain(control_w, processes=int(limits["processes"]))
        worker_server.serve(request_r, reply_w, limits=limits, report=report,
                            warm_up=set(request.get("warm_up", [])))
        code = 0
    except BaseException:  # noqa: BLE001 - the child must never return into the zygote's loop
        try:
            import traceback

            traceback.print_exc()
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(code)


def serve(sock: socket.socket, later: list[str]) -> None:
    """Answer fork requests until every grading process has closed its end of `sock`. Each request
    brings its own reply socket (a fresh socketpair's end) and the worker's four pipe ends: the
    grading processes of a batch share `sock`, and each message is whole (SOCK_SEQPACKET).
    `later` names warm-ups to import while no request waits."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the children
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
    while True:
        while later and not select.select([sock], [], [], 0.02)[0]:
            _preload({later.pop(0)})  # idle: import what a later exercise's worker will want
        try:
            message, fds, _, _ = socket.recv_fds(sock, MAX_REQUEST, 5)
        except (ConnectionError, OSError):
            return
        if not message:
            return  # the grader closed its end
        if len(fds) != 5:
            for fd in fds:
                os.close(fd)
            continue
        reply, fds = socket.socket(fileno=fds[0]), fds[1:]
        try:
            request = json.loads(message)
            if not isinstance(request, dict):
                raise ValueError("a fork request is a JSON object")
            _preload(set(request.get("warm_up", [])))
            threads = len(os.listdir("/proc/self/task"))
            if threads != 1:  # a fork would copy one of them: refuse, the grader starts afresh
                raise RuntimeError(f"the zygote runs {threads} threads")
        except Exception as exc:  # noqa: BLE001 - a bad request is answered, not fatal
            for fd in fds:
                os.close(fd)
            _answer(reply, {"error": f"{type(exc).__name__}: {exc}"}, [])
            continue
        gc.freeze()  # a child's garbage collections then leave the inherited objects' pages shared
        pid = os.fork()
        if pid == 0:
            _become_worker(request, fds, sock.fileno())
        for fd in fds:
            os.close(fd)
        try:
            pidfd = [os.pidfd_open(pid)]
        except OSError:  # already gone (and reaped): the grader sees its pipes close
            pidfd = []
        _answer(reply, {"pid": pid}, pidfd)
        for fd in pidfd:
            os.close(fd)


def _answer(reply: socket.socket, message: dict, fds: list[int]) -> None:
    try:
        socket.send_fds(reply, [json.dumps(message).encode()], fds)
    except OSError:
        pass  # that grading process has gone
    finally:
        reply.close()


def main(argv: list[str]) -> None:
    _die_with_parent()
    sock = socket.socket(fileno=int(argv[0]))
    _preload(set())
    serve(sock, later=list(argv[1:]))


if __name__ == "__main__":
    main(sys.argv[1:])

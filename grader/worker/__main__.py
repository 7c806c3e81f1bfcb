"""The worker's entry point when there is no zygote:

    python -I -m grader.worker REQUEST_FD REPLY_FD CONTROL_FD LIMITS [WARM_UP...]

Builds the cage first (`grader.worker.cage.contain`: namespaces, a fork whose parent reports on
the control pipe how the worker ended), and only then imports torch and serves requests
(`grader.worker.server`). Student code runs in the child, after `lockdown.lock_down`.
"""

from __future__ import annotations

import json
import sys

from grader.worker import cage


def main(argv: list[str]) -> None:
    request_fd, reply_fd, control_fd = (int(a) for a in argv[:3])
    limits = json.loads(argv[3])
    report = cage.contain(
        control_fd, processes=int(limits["processes"]), memory=int(limits["memory"])
    )
    from grader.worker import server as worker_server

    worker_server.serve(request_fd, reply_fd, limits=limits, report=report, warm_up=set(argv[4:]))


if __name__ == "__main__":
    main(sys.argv[1:])

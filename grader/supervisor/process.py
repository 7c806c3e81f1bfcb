"""One worker process, seen from the grading process: start it (forked by the zygote, or afresh),
send requests, enforce time limits, and learn how it ended.

Replies travel over a private pipe pair, not stdout, so nothing the student prints can be taken
for an answer; stdout and stderr go to a pipe drained on a thread. A third pipe carries what only
the worker's parent (outside the cage) can tell: its PID, its cgroup and how it ended. The worker
reports facts; `grader.checking.problems` words them for the learner.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from grader.supervisor import usage
from grader.supervisor.cgroup_cleanup import is_worker_group, oom_kills, remove_group
from grader.supervisor.environment import note_missing, worker_env, worker_user
from grader.supervisor.output import OutputTail
from grader.supervisor.zygote_client import Forked, Zygote
from grader.wire import frames, reply_limits
from grader.wire.control import Ending
from grader.workbook.limits import Limits


class WorkerDied(RuntimeError):
    """The worker ended without answering; `ending` is what its parent reported (maybe empty)."""

    def __init__(self, ending: Ending) -> None:
        super().__init__(f"the worker ended: {ending}")
        self.ending = ending


class WorkerTimeout(RuntimeError):
    """The worker did not answer within the time limit; it has been killed."""


class WorkerCpuLimit(WorkerTimeout):
    """The worker used more CPU time than the request allowed; it has been killed."""


class Worker:
    """One worker process: forked by the zygote when one is given (milliseconds), else started
    afresh (`python -I -m grader.worker`, which spends about a second importing torch)."""

    GROUP_KEYS = ("memory_cgroup", "cpu_cgroup", "cpuacct_cgroup")  # its own cgroups' lines

    def __init__(
        self,
        warm_up: tuple[str, ...] = (),
        limits: Limits | None = None,
        zygote: Zygote | None = None,
    ) -> None:
        self.warm_up = warm_up
        self.limits = limits or Limits()
        self._scratch = tempfile.TemporaryDirectory(prefix="grader-worker-")
        self.scratch_dir = Path(self._scratch.name)
        request_r, self._to_worker = os.pipe()
        self._from_worker, reply_w = os.pipe()
        self._control, control_w = os.pipe()
        output_r, output_w = os.pipe()
        self._child_ends = (request_r, reply_w, control_w, output_w)
        self._settings = {
            "cwd": str(self.scratch_dir),
            "env": worker_env(str(self.scratch_dir)),
            "limits": {**dataclasses.asdict(self.limits), "run_as": worker_user()},
            "warm_up": list(warm_up),
        }
        self._zygote = zygote
        self._ticket = zygote.fork(self._settings, self._child_ends) if zygote else None
        self._process: subprocess.Popen | Forked | None = None
        if self._ticket is None:
            self._start_fresh()
        self._output = OutputTail(output_r, self.limits.output)
        self._output_mark = 0
        self._control_lines: list[dict] = []
        self._groups: dict[str, str | None] = {}  # its own cgroups by key, once its cage said
        self._control_buffer = b""
        self._ready = False
        self._killed_for: str | None = None

    def _start_fresh(self) -> None:
        request_r, reply_w, control_w, _ = self._child_ends
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-I",
                "-m",
                "grader.worker",
                *map(str, (request_r, reply_w, control_w)),
                json.dumps(self._settings["limits"]),
                *self.warm_up,
            ],
            stdin=subprocess.DEVNULL,
            stdout=self._child_ends[3],
            stderr=self._child_ends[3],
            pass_fds=(request_r, reply_w, control_w),
            cwd=self.scratch_dir,
            env=self._settings["env"],
            start_new_session=True,
        )
        self._close_child_ends()

    def _close_child_ends(self) -> None:
        for fd in self._child_ends:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._child_ends = ()

    @property
    def process(self) -> subprocess.Popen | Forked:
        """The worker's process, once the zygote has answered (else started afresh)."""
        if self._process is None:
            assert self._zygote is not None and self._ticket is not None
            forked = self._zygote.result(self._ticket)
            if forked is None:
                self._start_fresh()
            else:
                self._process = forked
                self._close_child_ends()
        return self._process

    # -- life cycle ---------------------------------------------------------------------------

    def wait_ready(self, timeout: float = 120.0) -> None:
        if not self._ready:
            self.process  # noqa: B018 - the zygote's answer first: until then our pipe ends stay open
            reply = self._receive(timeout)
            if reply != {"ready": True}:
                raise WorkerDied(Ending(start_failed=True))
            self._ready = True
            found = self.control_info("pid")
            self._drain_control()  # and the worker's own line (its cgroups), written before "ready"
            if found:  # the cage's lines are in: its groups stay what they say
                self._groups = {key: self._own_group(key) for key in self.GROUP_KEYS}
            for line in self._control_lines:
                note_missing(line.get("missing", []))

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def load_request(self, source: Path, name: str, driver: str | None = None) -> dict:
        """The request that loads a submission's file. Its bytes travel in it and the worker writes
        them into its scratch folder itself: the grader never writes where student code runs."""
        from grader.wire import files as worker_files

        return {
            "op": frames.Op.LOAD,
            "path": str(self.scratch_dir / source.name),
            "name": name,
            "scratch": str(self.scratch_dir),
            "driver": driver,
            "source": worker_files.encode({"file": worker_files.read_source(source)})["file"],
        }

    def kill(self) -> None:
        """Kill the worker and its PID namespace (all it started, in any session)."""
        inner = self.control_info("pid", wait=0).get("pid")
        if type(inner) is int and inner > 1 and self.alive:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(inner, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._remove_cgroup()

    def _remove_cgroup(self) -> None:
        self._drain_control()
        group = next((line["cgroup"] for line in self._control_lines if line.get("cgroup")), None)
        for owned in map(self._own_group, self.GROUP_KEYS):
            if owned is not None:
                remove_group(owned)
        if isinstance(group, str) and Path(group).name == f"cnn-grader-{self.process.pid}":
            remove_group(group)

    def _own_group(self, key: str) -> str | None:
        """A cgroup of the worker's by key, from its cage's lines: a name this grader gives only."""
        if key in self._groups:
            return self._groups[key]
        group = next((line[key] for line in self._control_lines if line.get(key)), None)
        return group if is_worker_group(group, self.process.pid) else None

    def close(self) -> None:
        """Kill at once: the worker holds nothing worth a clean exit, which costs torch ~1 s."""
        self.kill()
        if isinstance(self._process, Forked):
            self._process.release()
        for fd in (self._to_worker, self._from_worker, self._control):
            with contextlib.suppress(OSError):
                os.close(fd)
        # Student code may have written here (hosts without the view): no chmod, no link followed
        shutil.rmtree(self.scratch_dir, ignore_errors=True)
        self._scratch.cleanup()

    # -- the control pipe: the worker's PID, then how it ended ----------------------------------

    def cpu_seconds(self, descendants: bool = True) -> float:
        """CPU time the worker (and what it started) has used so far, measured from outside."""
        info = {**self.control_info("cgroup", wait=0), **self.control_info("pid", wait=0)}
        groups = tuple(map(self._own_group, ("cpuacct_cgroup", "cpu_cgroup")))
        return usage.cpu_seconds(info.get("pid"), info.get("cgroup"), descendants, groups)

    def control_info(self, key: str, wait: float = 1.0) -> dict:
        deadline = time.monotonic() + wait
        while not any(key in line for line in self._control_lines):
            if not self._read_control(max(0.0, deadline - time.monotonic())):
                return {}
        return next(line for line in self._control_lines if key in line)

    def _drain_control(self) -> None:
        """Take in every line already written, without waiting."""
        while self._read_control(0.0):
            pass

    def _read_control(self, timeout: float) -> bool:
        """What the control pipe has within `timeout` seconds; False if nothing (or its end)."""
        ready, _, _ = select.select([self._control], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self._control, 4096)
        except OSError:
            return False
        if not chunk:
            return False
        self._control_buffer += chunk
        *lines, self._control_buffer = self._control_buffer.split(b"\n")
        for line in lines:
            with contextlib.suppress(ValueError):
                message = json.loads(line)
                if isinstance(message, dict):
                    self._control_lines.append(message)
        return True

    # -- requests -----------------------------------------------------------------------------

    def request(self, message: dict, timeout: float, cpu_limit: float | None = None) -> dict:
        """Send one request and wait at most `timeout` seconds for its reply, and with `cpu_limit`
        only until `cpu_seconds()` passes it (looked at each second)."""
        self.wait_ready()
        self._output_mark = self._output.total
        try:
            frames.write_frame(self._to_worker, message)
        except BrokenPipeError as exc:
            ending = self._ending()
            self.kill()
            raise WorkerDied(ending) from exc
        return self._receive(timeout, cpu_limit)

    def recent_output(self) -> str:
        """What the student's code printed during the last request (its tail)."""
        self._output.settle()
        return self._output.since(self._output_mark, ended=not self.alive)

    def _receive(self, timeout: float, cpu_limit: float | None = None) -> Any:
        # the worker ran student code: what it sends is decoded within bounds
        deadline = time.monotonic() + timeout
        header = self._read_exact(frames.HEADER_BYTES, deadline, cpu_limit)
        body = self._read_exact(reply_limits.reply_length(header), deadline)
        return reply_limits.loads_reply(body)

    def _read_exact(self, size: int, deadline: float, cpu_limit: float | None = None) -> bytes:
        chunks = []
        while size:
            remaining = max(deadline - time.monotonic(), 0)
            wait = remaining if cpu_limit is None else min(remaining, 1.0)
            ready, _, _ = select.select([self._from_worker], [], [], wait)
            if not ready and cpu_limit is not None and self.cpu_seconds() > cpu_limit:
                self.kill()
                raise WorkerCpuLimit("past the CPU time allowed")
            if not ready and remaining <= wait:
                self.kill()
                raise WorkerTimeout("no answer within the time limit")
            if not ready:
                continue
            chunk = os.read(self._from_worker, min(size, 1 << 20))
            if not chunk:
                ending = self._ending()  # before the kill, which would end the parent's report
                self.kill()
                raise WorkerDied(ending)
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _ending(self) -> Ending:
        """How it ended, from its parent's report (empty if none in time), and OOM kills."""
        group = self._own_group("memory_cgroup")
        oom_kill = group is not None and oom_kills(group) > 0
        return Ending.from_line(self.control_info("exit", wait=2.0), oom_kill=oom_kill)

"""The control pipe: what only a worker's parent (outside the cage) can tell the grader, one JSON
line each: the worker's PID and cage (`CageReport`), then how it ended (`Ending`). Typed records
on both sides; plain JSON lines on the pipe, read back field by field with their types checked."""

from __future__ import annotations

import json
import os
import resource
from dataclasses import dataclass, field


@dataclass
class CageReport:
    """What the cage is made of on this host; `missing` explains each defence it lacks."""

    in_place: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    cgroup: str | None = None
    memory_cgroup: str | None = None
    cpu_cgroup: str | None = None
    cpuacct_cgroup: str | None = None  # where the CPU time of all its processes is kept (v1)

    def line(self, pid: int | None = None) -> dict:
        """The control line that announces this cage (and the worker's PID, where known)."""
        fields = {"in_place": self.in_place, "missing": self.missing}
        fields |= {"cgroup": self.cgroup, "memory_cgroup": self.memory_cgroup}
        fields |= {"cpu_cgroup": self.cpu_cgroup, "cpuacct_cgroup": self.cpuacct_cgroup}
        return fields if pid is None else {"pid": pid, **fields}


@dataclass(frozen=True)
class Ending:
    """How a worker ended: exit code or signal, CPU time and peak memory from its parent's
    report, an OOM kill from its memory cgroup; `start_failed` when it never said ready.
    All empty when its parent said nothing in time."""

    exit: int | None = None
    signal: int | None = None
    cpu: float | None = None
    max_rss_kib: int | None = None
    oom_kill: bool = False
    start_failed: bool = False

    @classmethod
    def from_line(cls, line: dict, oom_kill: bool = False) -> Ending:
        """The record of an `{"exit": ...}` control line; a field of the wrong type is dropped."""

        def typed(key: str, *kinds: type) -> object:
            value = line.get(key)
            return value if type(value) in kinds else None

        return cls(
            exit=typed("exit", int),
            signal=typed("signal", int),
            cpu=typed("cpu", int, float),
            max_rss_kib=typed("max_rss_kib", int),
            oom_kill=oom_kill,
        )

    def line(self) -> dict:
        return {
            "exit": self.exit,
            "signal": self.signal,
            "cpu": self.cpu,
            "max_rss_kib": self.max_rss_kib,
        }


def ending_of(status: int, usage: resource.struct_rusage) -> Ending:
    """How a waited-for process ended, from its wait status and resource usage."""
    return Ending(
        exit=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        cpu=usage.ru_utime + usage.ru_stime,
        max_rss_kib=usage.ru_maxrss,
    )


def send_control(fd: int, message: dict) -> None:
    """Write one control line; a grader that has gone away is no error of the worker's."""
    data = (json.dumps(message) + "\n").encode()
    try:
        os.write(fd, data)
    except OSError:
        pass

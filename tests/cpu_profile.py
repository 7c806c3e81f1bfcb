"""Each test's CPU seconds, its own and its reaped children's (setup, call and teardown together),
so the suite's slowest tests are known on a loaded machine where wall time says little.
Children are counted by the kernel only once reaped, so the CPU of descendants still alive (the
shared zygote of in-process grading and its forks) is read from /proc and added.

The top of the list is printed at the end of the run (`CNN_CPU_TOP`, 40 by default); with
`CNN_CPU_PROFILE=FILE` every test's figure is also written there as tab-separated lines.
Children count only once reaped, so a test's figure includes the processes it waited for."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import pytest

_seconds: dict[str, float] = {}
_started: list[float] = []


def pytest_configure(config):
    _started.append(_cpu_now())


_TICK = os.sysconf("SC_CLK_TCK")


def _live_descendants_cpu(pid: int) -> float:
    """CPU seconds of pid's live descendants, each with the children it has reaped."""
    total = 0.0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0.0
    for task in tasks:
        try:
            children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            try:
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            total += sum(int(f) for f in fields[11:15]) / _TICK  # utime stime cutime cstime
            total += _live_descendants_cpu(child)
    return total


def _cpu_now() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    reaped = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    return reaped + _live_descendants_cpu(os.getpid())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    start = _cpu_now()
    yield
    _seconds[item.nodeid] = _seconds.get(item.nodeid, 0.0) + _cpu_now() - start
    if os.environ.get("CNN_CPU_PROFILE"):  # as it goes, so a run cut short still tells
        with open(os.environ["CNN_CPU_PROFILE"] + ".partial", "a", encoding="utf-8") as out:
            out.write(f"{_seconds[item.nodeid]:.3f}\t{item.nodeid}\n")


def pytest_terminal_summary(terminalreporter):
    if not _seconds:
        return
    ranked = sorted(_seconds.items(), key=lambda pair: pair[1], reverse=True)
    total = sum(_seconds.values())
    top = int(os.environ.get("CNN_CPU_TOP", "40"))
    terminalreporter.write_sep("=", f"CPU seconds per test (self + reaped children), top {top}")
    for nodeid, seconds in ranked[:top]:
        terminalreporter.write_line(f"{seconds:8.2f}  {nodeid}")
    terminalreporter.write_line(f"{total:8.2f}  total over {len(ranked)} tests")
    by_file: dict[str, float] = {}
    for nodeid, seconds in ranked:
        path = nodeid.split("::", 1)[0]
        by_file[path] = by_file.get(path, 0.0) + seconds
    terminalreporter.write_sep("-", "by file, top 15")
    for path, seconds in sorted(by_file.items(), key=lambda pair: pair[1], reverse=True)[:15]:
        terminalreporter.write_line(f"{seconds:8.2f}  {path}")
    whole = _cpu_now() - _started[0]
    terminalreporter.write_line(f"{whole:8.2f}  the whole run so far, collection included")
    target = os.environ.get("CNN_CPU_PROFILE")
    if target:
        lines = [f"{seconds:.3f}\t{nodeid}" for nodeid, seconds in ranked]
        Path(target).write_text("\n".join(lines) + "\n", encoding="utf-8")

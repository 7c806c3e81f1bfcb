"""Each test's CPU seconds, its own and its reaped children's (setup, call and teardown together),
so the suite's slowest tests are known on a loaded machine where wall time says little.

The top of the list is printed at the end of the run (`CNN_CPU_TOP`, 40 by default); with
`CNN_CPU_PROFILE=FILE` every test's figure is also written there as tab-separated lines.
Children count only once reaped, so a test's figure includes the processes it waited for."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import pytest

_seconds: dict[str, float] = {}


def _cpu_now() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    start = _cpu_now()
    yield
    _seconds[item.nodeid] = _seconds.get(item.nodeid, 0.0) + _cpu_now() - start


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
    target = os.environ.get("CNN_CPU_PROFILE")
    if target:
        lines = [f"{seconds:.3f}\t{nodeid}" for nodeid, seconds in ranked]
        Path(target).write_text("\n".join(lines) + "\n", encoding="utf-8")

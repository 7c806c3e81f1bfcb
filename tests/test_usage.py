"""A worker's CPU time as the grading process reads it (grader/supervisor/usage.py): an accounted
cgroup's usage counts every descendant, and without one the scan of /proc still finds a
descendant that left for a session of its own."""

from __future__ import annotations

import os
import time

from grader.supervisor import usage

_BUSY = 0.6  # CPU seconds the grandchild spends


def _daemonised_busy_grandchild() -> int:
    """A child that forks a grandchild into a new session and waits; the grandchild spins for
    `_BUSY` CPU seconds then sleeps. Returns the child once the spin is done."""
    done_r, done_w = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(done_r)
        if os.fork() == 0:
            os.setsid()
            end = time.process_time() + _BUSY
            while time.process_time() < end:
                pass
            os.write(done_w, b"x")
            time.sleep(60)
            os._exit(0)
        time.sleep(60)
        os._exit(0)
    os.close(done_w)
    assert os.read(done_r, 1) == b"x"
    os.close(done_r)
    return child


def _end(child: int) -> None:
    for pid in [child, *usage._descendants(child)]:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
    os.waitpid(child, 0)


def test_without_an_accounted_group_the_scan_finds_a_daemonised_grandchild():
    child = _daemonised_busy_grandchild()
    try:
        own = usage.cpu_seconds(child, descendants=False)
        counted = usage.cpu_seconds(child)
    finally:
        _end(child)
    assert own < 0.2 and counted >= _BUSY - 0.1, (own, counted)


def test_an_accounted_group_counts_and_no_scan_is_made(tmp_path, monkeypatch):
    group = tmp_path / "cnn-grader-1"
    group.mkdir()
    (group / "cpuacct.usage").write_text("7500000000\n")  # 7.5 s, in nanoseconds

    def no_scan(root: int) -> set[int]:
        raise AssertionError("the /proc scan ran beside an accounted group")

    monkeypatch.setattr(usage, "_descendants", no_scan)
    assert usage.cpu_seconds(os.getpid(), accounted=(None, str(group))) >= 7.5


def test_a_group_without_a_usage_file_still_gets_the_scan(tmp_path):
    group = tmp_path / "cnn-grader-2"  # v1's cpu group: cpu.stat, but no usage in it
    group.mkdir()
    (group / "cpu.stat").write_text("nr_periods 0\nnr_throttled 0\nthrottled_time 0\n")
    child = _daemonised_busy_grandchild()
    try:
        counted = usage.cpu_seconds(child, accounted=(str(group),))
    finally:
        _end(child)
    assert counted >= _BUSY - 0.1, counted

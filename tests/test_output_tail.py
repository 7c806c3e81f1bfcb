"""What a request printed is counted for that request, however late the draining thread runs: a
chunk read from the pipe but not yet kept was counted as the next request's output on a loaded
machine (a passing check's print shown under the next, failing one)."""

from __future__ import annotations

import os
import time

from grader.supervisor import output


def test_a_chunk_read_but_not_yet_kept_is_waited_for(monkeypatch):
    real_read = os.read

    def slow_read(fd: int, size: int) -> bytes:
        chunk = real_read(fd, size)
        time.sleep(0.2)  # the thread loses the processor between reading and keeping
        return chunk

    monkeypatch.setattr(output.os, "read", slow_read)
    read_end, write_end = os.pipe()
    tail = output.OutputTail(read_end, limit=1 << 16)
    try:
        for n in range(3):
            mark = tail.total
            os.write(write_end, f"LINE {n}\n".encode())
            time.sleep(0.05)  # the thread has taken the bytes from the pipe and is still asleep
            tail.settle()
            assert tail.since(mark, ended=False) == f"LINE {n}\n"
    finally:
        os.close(write_end)


def test_settle_returns_at_once_when_nothing_was_printed():
    read_end, write_end = os.pipe()
    tail = output.OutputTail(read_end, limit=1 << 16)
    try:
        start = time.monotonic()
        tail.settle()
        assert time.monotonic() - start < 0.5 and tail.since(0, ended=False) == ""
    finally:
        os.close(write_end)

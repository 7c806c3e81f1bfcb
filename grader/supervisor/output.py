"""The worker's stdout and stderr: a pipe drained on a thread, of which only the tail is kept."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import termios
import threading
import time

OUTPUT_TAIL = 1500  # characters of a request's output shown to the learner


class OutputTail:
    """Drains the worker's stdout and stderr (a pipe) on a thread, keeping only the last `limit`
    bytes: a student who prints 300 MB costs the grader neither memory nor a blocked worker."""

    def __init__(self, fd: int, limit: int) -> None:
        self._fd, self._limit = fd, limit
        self._kept = bytearray()
        self.total = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while True:
            try:
                select.select([self._fd], [], [])
            except (OSError, ValueError):
                pass  # a closed pipe: the read below says so
            with self._lock:  # read and kept at once: `settle` never sees a chunk in flight
                try:
                    chunk = os.read(self._fd, 1 << 16)
                except OSError:
                    chunk = b""
                if not chunk:
                    os.close(self._fd)
                    return
                self._kept += chunk
                self.total += len(chunk)
                if len(self._kept) > self._limit:
                    del self._kept[: len(self._kept) - self._limit]

    def settle(self, wait: float = 2.0) -> None:
        """Let the thread take in what the pipe already holds (the worker flushes its output
        before each reply), for at most `wait` seconds: on a loaded machine the thread may wait
        its turn, and output left in the pipe would be counted as the next request's."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                pending = struct.unpack("i", fcntl.ioctl(self._fd, termios.FIONREAD, b"\0" * 4))[0]
            except OSError:
                return
            if not pending:
                with self._lock:  # a chunk just read is appended under the lock
                    return
            time.sleep(0.001)

    def since(self, mark: int, ended: bool) -> str:
        if ended:  # the pipe is closing: let its last bytes arrive
            self._thread.join(timeout=1.0)
        with self._lock:
            wanted = self.total - mark
            data = bytes(self._kept[-wanted:]) if wanted > 0 else b""
            cut = wanted - len(data)
        text = data.decode("utf-8", "replace")
        if len(text) > OUTPUT_TAIL:
            cut += len(text[:-OUTPUT_TAIL].encode())
            text = text[-OUTPUT_TAIL:]
        return (f"[output cut: the first {cut:,} bytes are not shown]\n" if cut > 0 else "") + text

"""`grader watch`: a saved edit is checked again and the new result shown; once an exercise
passes, the next one and its first hint; Ctrl-C stops it cleanly. With file-system events and
with polling."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from grader.commands.watch import FolderWatcher
from grader.workbook.catalog import exercise_by_id
from grader.workbook.paths import SOLUTIONS_DIR
from tests.helpers import stub_text

GRADER = str(Path(sys.executable).with_name("grader"))


class Screen:
    """What the watcher printed so far, read on a thread."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.text, self._lock = "", threading.Lock()
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            with self._lock:
                self.text += line

    def wait_for(self, *words: str, after: int = 0, timeout: float = 120.0) -> int:
        """Wait until every word appears after position `after`; return the end of the text."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                tail = self.text[after:]
                if all(w in tail for w in words):
                    return len(self.text)
            time.sleep(0.05)
        raise AssertionError(
            f"{words} not shown within {timeout} s; the screen:\n{self.text[after:][-3000:]}"
        )


@pytest.mark.parametrize("mode", ["events", "polling"])
def test_watch_rechecks_a_saved_file_and_shows_the_next_exercise(tmp_path, mode):
    for name in ("01_edge_filter.py", "02_count_parameters.py"):
        (tmp_path / name).write_text(stub_text(name))
    command = [GRADER, "watch", "--submission", str(tmp_path)] + (
        ["--poll"] if mode == "polling" else []
    )
    # SIGINT at its default, as a terminal starts it: a suite started in the background by a
    # non-interactive shell ignores SIGINT, every process inherits that, and Ctrl-C is lost
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    screen = Screen(process)
    try:
        seen = screen.wait_for("01 edge_filter", "score 0/25", "checked in")
        (tmp_path / "01_edge_filter.py").write_text(
            (SOLUTIONS_DIR / "01_edge_filter.py").read_text()
        )
        following = exercise_by_id("count_parameters")
        seen = screen.wait_for(
            "score 25/25", "Next: 02 count_parameters", following.hints[0], after=seen
        )
        # an edit to the next exercise's file switches the watch to it
        wrong = (
            (SOLUTIONS_DIR / "02_count_parameters.py")
            .read_text()
            .replace("(out_channels if bias else 0)", "out_channels")
        )
        (tmp_path / "02_count_parameters.py").write_text(wrong)
        # said the moment the save is noticed, before the checks' result
        seen = screen.wait_for("checking 02_count_parameters.py ...", after=seen)
        seen = screen.wait_for(
            "02 count_parameters", "bias=False still adds", "checked in", after=seen
        )
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(timeout=30) == 0
        screen.wait_for("grader watch: stopped.", after=seen, timeout=5)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert "polling" in screen.text if mode == "polling" else "inotify" in screen.text


@pytest.mark.parametrize("poll", [False, True])
def test_folder_watcher_reports_only_real_changes(tmp_path, poll):
    (tmp_path / "a.py").write_text("x = 1\n")
    watcher = FolderWatcher(tmp_path, poll=poll)
    result: list[list[Path]] = []
    thread = threading.Thread(target=lambda: result.append(watcher.wait()), daemon=True)
    thread.start()
    time.sleep(0.5)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "a.pyc").write_bytes(b"ignored")
    time.sleep(0.7)
    assert not result, "a cache file is not an edit"
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.py").write_text("y = 2\n")
    thread.join(timeout=10)
    watcher.close()
    assert result == [[tmp_path / "sub" / "b.py"]]

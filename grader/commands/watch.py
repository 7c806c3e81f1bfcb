"""`grader watch`: check the exercise being edited each time a file under the submission is saved.

A change is noticed through inotify where the kernel has it, else by polling; either way what
counts as a change is a difference in the files' sizes and modification times, so an editor
that touches a file without changing it, or a burst of events for one save, runs the checks
once. The workers are forked from the zygote, which stays up between runs: a re-run of
an exercise that trains no model costs the checks themselves plus a few hundred milliseconds.
"""

from __future__ import annotations

import ctypes
import os
import select
import sys
import time
from collections.abc import Callable
from pathlib import Path

from grader.reports.escape import terminal
from grader.workbook.catalog import Exercise, load_catalog
from grader.workbook.files import find_exercise_file

POLL_SECONDS = 0.3
SETTLE_SECONDS = 0.08  # an editor's save is often several writes: let them land first
_IN_EVENTS = (
    0x2 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200
)  # MODIFY CLOSE_WRITE MOVED_FROM/TO CREATE DELETE

Snapshot = dict[str, tuple[int, int]]


def snapshot(folder: Path) -> Snapshot:
    """Size and modification time of every file under `folder` (hidden files and caches left
    out)."""
    files: Snapshot = {}
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if any(p.startswith(".") or p == "__pycache__" for p in parts):
            continue
        try:
            info = path.stat()
        except OSError:
            continue
        if path.is_file():
            files[str(path)] = (info.st_mtime_ns, info.st_size)
    return files


class FolderWatcher:
    """Waits until a file under `folder` changes: inotify as the wake-up when available (unless
    `poll`), a snapshot comparison as the judge."""

    def __init__(self, folder: Path, poll: bool = False) -> None:
        self.folder = folder
        self.last = snapshot(folder)
        self._fd = -1 if poll else self._inotify()
        self.mode = "polling" if self._fd < 0 else "inotify"

    def _inotify(self) -> int:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        except (OSError, AttributeError):
            return -1
        if fd < 0:
            return -1
        self._libc = libc
        self._watch_folders(fd)
        return fd

    def _watch_folders(self, fd: int) -> None:
        for folder in [self.folder, *(p for p in self.folder.rglob("*") if p.is_dir())]:
            self._libc.inotify_add_watch(fd, os.fsencode(folder), _IN_EVENTS)  # again: no harm

    def _drain(self) -> None:
        try:
            while os.read(self._fd, 65536):
                pass
        except BlockingIOError:
            pass

    def wait(self) -> list[Path]:
        """Block until something changed; return the files that changed (created, edited,
        removed)."""
        while True:
            if self._fd >= 0:
                select.select(
                    [self._fd], [], [], 5.0
                )  # a periodic look, in case an event is missed
                time.sleep(SETTLE_SECONDS)
                self._drain()
                self._watch_folders(self._fd)  # folders created since
            else:
                time.sleep(POLL_SECONDS)
            now = snapshot(self.folder)
            changed = [Path(p) for p in set(now) | set(self.last) if now.get(p) != self.last.get(p)]
            self.last = now
            if changed:
                return sorted(changed)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def exercise_of_file(path: Path) -> Exercise | None:
    return next((e for e in load_catalog() if path.name == e.filename), None)


def first_unfinished(submission: Path, passed: Callable[[Exercise], bool]) -> Exercise:
    exercises = list(load_catalog())
    return next(
        (e for e in exercises if find_exercise_file(submission, e) and not passed(e)),
        next((e for e in exercises if not passed(e)), exercises[0]),
    )


def next_exercise(after: Exercise) -> Exercise | None:
    return next((e for e in load_catalog() if e.number > after.number), None)


def clear_screen() -> str:
    return "\033[2J\033[H" if sys.stdout.isatty() else "\n" + "=" * 72 + "\n"


def run_watch(
    *,
    submission: Path,
    pinned: Exercise | None,
    poll: bool,
    check: Callable[[Exercise], object],
    passing: Callable[[Exercise], bool],
    show: Callable[[Exercise, object, float], str],
    echo: Callable[[str], None],
) -> None:
    """Check, show, wait for a save, repeat, until Ctrl-C. `check` grades one exercise (raising
    KeyboardInterrupt when interrupted), `passing` says whether one passes now (from the last
    results), `show` formats a result, `echo` prints."""
    watcher = FolderWatcher(submission, poll)
    current = pinned or first_unfinished(submission, passing)
    try:
        while True:
            echo(f"grader watch: checking {current.filename} ...")  # at once: never silent
            started = time.monotonic()
            result = check(current)
            seconds = time.monotonic() - started
            lines = [
                clear_screen()
                + f"grader watch: {terminal(submission)} ({watcher.mode}; Ctrl-C stops)",
                "",
                show(current, result, seconds),
            ]
            following = next_exercise(current)
            if passing(current):
                if following is None:
                    lines.append(f"\n{current.id} passes: that was the last exercise.")
                else:
                    lines.append(
                        f"\n{current.id} passes. Next: {following.number:02d} {following.id} "
                        f"({following.title}), in {following.filename}.\n"
                        f"Hint 1 of {len(following.hints)}: {following.hints[0]}"
                    )
            echo("\n".join(lines))
            changed = watcher.wait()
            if pinned is None:
                edited = [e for p in changed if (e := exercise_of_file(p))]
                if edited:
                    current = max(edited, key=lambda e: _mtime(find_exercise_file(submission, e)))
    except KeyboardInterrupt:
        echo("\ngrader watch: stopped.")
    finally:
        watcher.close()


def _mtime(path: Path | None) -> int:
    try:
        return path.stat().st_mtime_ns if path else 0
    except OSError:
        return 0


def run_watch_command(exercise_id: str | None, submission: Path, poll: bool) -> None:
    """`grader watch`: wires the loop above to the checks, the learner's state and the terminal."""
    import click

    from grader.commands.check import chosen_exercises, grade_submission
    from grader.reports.terminal import format_exercise
    from grader.workbook import state
    from grader.workbook.results import ExerciseResult, ExerciseStatus

    if not submission.is_dir():
        raise click.UsageError(f"submission folder {submission} does not exist")
    pinned = chosen_exercises((exercise_id,))[0] if exercise_id else None
    latest: dict[str, bool] = {}

    def check_once(exercise: Exercise) -> ExerciseResult:
        from grader.checking.runner import RunnerError

        try:
            result = grade_submission(submission, [exercise]).exercises[exercise.id]
        except (RunnerError, click.ClickException) as exc:
            if "exit code 2" in str(exc):  # pytest was interrupted: Ctrl-C
                raise KeyboardInterrupt from None
            raise
        latest[exercise.id] = result.status is ExerciseStatus.PASSING
        return result

    def passing(exercise: Exercise) -> bool:
        if exercise.id in latest:
            return latest[exercise.id]
        path = find_exercise_file(submission, exercise)
        cached = state.cached_result(path) if path else None
        return bool(cached and cached["status"] == ExerciseStatus.PASSING.value)

    def show(exercise: Exercise, result: ExerciseResult, seconds: float) -> str:
        return (
            format_exercise(exercise, result, sys.stdout.isatty(), False)
            + f"\n\nchecked in {seconds:.2f} s, at {time.strftime('%H:%M:%S')}"
        )

    run_watch(
        submission=submission,
        pinned=pinned,
        poll=poll,
        check=check_once,
        passing=passing,
        show=show,
        echo=lambda text: click.echo(text),
    )

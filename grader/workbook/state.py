"""The learner's local state: the last results per exercise file (for `grader list`) and the
hint levels already shown (for `grader hint`). Kept in `.grader/state.json` at the project root,
or where $CNN_GRADER_STATE says (the project's own tests keep theirs apart from a learner's)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from grader.workbook.paths import PROJECT_ROOT

STATE_FILE = PROJECT_ROOT / ".grader" / "state.json"
_DEFAULT = STATE_FILE


def _path() -> Path:
    if STATE_FILE != _DEFAULT:  # set by a test
        return STATE_FILE
    return Path(os.environ.get("CNN_GRADER_STATE") or _DEFAULT)


def folder() -> Path:
    """Where the learner's state is kept (`.grader/`, or $CNN_GRADER_STATE's folder)."""
    return _path().parent


def _read() -> dict:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write(data: dict) -> None:
    # a temporary file of its own: two commands at once (a check beside `grader watch`) must
    # not rename each other's half-written file
    path = _path()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix="state.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(json.dumps(data, indent=1))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def _changing() -> Iterator[dict]:
    """The state to change, read and written back under a lock, so that two commands at once
    each add what they remember rather than the last one's write undoing the other's."""
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = _read()
        yield data
        _write(data)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def remember_result(path: Path, exercise_json: dict) -> None:
    entry = {"sha256": file_digest(path), "result": exercise_json}
    with _changing() as data:
        data.setdefault("results", {})[str(path.resolve())] = entry


def cached_result(path: Path) -> dict | None:
    """The last result for this file, if the file has not changed since."""
    entry = _read().get("results", {}).get(str(path.resolve()))
    if entry and entry.get("sha256") == file_digest(path):
        return entry.get("result")
    return None


def next_hint_level(exercise_id: str, available: int) -> int:
    """1 the first time, then one more each time, staying on the last level."""
    with _changing() as data:
        seen = int(data.get("hints", {}).get(exercise_id, 0))
        level = min(seen + 1, available)
        data.setdefault("hints", {})[exercise_id] = level
    return level


def mark(kind: str, exercise_id: str) -> None:
    """Remember that the learner passed an exercise (`kind` "passed") or gave up on it ("gave_up"):
    `grader solution` shows the reference after either, and `grader list` says which were given
    up."""
    with _changing() as data:
        marked = data.setdefault(kind, [])
        if exercise_id not in marked:
            marked.append(exercise_id)


def marked(kind: str) -> set[str]:
    """The exercises marked `kind` ("passed" or "gave_up")."""
    found = _read().get(kind, [])
    return {str(i) for i in found} if isinstance(found, list) else set()

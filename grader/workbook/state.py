"""The learner's local state: the last results per exercise file (for `grader list`) and the
hint levels already shown (for `grader hint`). Kept in `.grader/state.json` at the project root,
or where $CNN_GRADER_STATE says (the project's own tests keep theirs apart from a learner's)."""

from __future__ import annotations

import hashlib
import json
import os
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
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def remember_result(path: Path, exercise_json: dict) -> None:
    data = _read()
    data.setdefault("results", {})[str(path.resolve())] = {
        "sha256": file_digest(path),
        "result": exercise_json,
    }
    _write(data)


def cached_result(path: Path) -> dict | None:
    """The last result for this file, if the file has not changed since."""
    entry = _read().get("results", {}).get(str(path.resolve()))
    if entry and entry.get("sha256") == file_digest(path):
        return entry.get("result")
    return None


def next_hint_level(exercise_id: str, available: int) -> int:
    """1 the first time, then one more each time, staying on the last level."""
    data = _read()
    seen = int(data.get("hints", {}).get(exercise_id, 0))
    level = min(seen + 1, available)
    data.setdefault("hints", {})[exercise_id] = level
    _write(data)
    return level


def mark(kind: str, exercise_id: str) -> None:
    """Remember that the learner passed an exercise (`kind` "passed") or gave up on it ("gave_up"):
    `grader solution` shows the reference after either, and `grader list` says which were given
    up."""
    data = _read()
    marked = data.setdefault(kind, [])
    if exercise_id not in marked:
        marked.append(exercise_id)
        _write(data)


def marked(kind: str) -> set[str]:
    """The exercises marked `kind` ("passed" or "gave_up")."""
    found = _read().get(kind, [])
    return {str(i) for i in found} if isinstance(found, list) else set()

"""Where the kept zygote of `grader check` lives, and which grader it belongs to: a folder only
this user can enter, and a key from the grader's own files, the Python and torch. Both sides read
it: the grader to find or start the zygote, the zygote to notice that the code it runs is old."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import stat
import sys
from pathlib import Path

FOLDER_VARIABLE = "CNN_GRADER_ZYGOTE_DIR"  # the private folder (tests give their own)
IDLE_VARIABLE = "CNN_GRADER_ZYGOTE_IDLE"  # seconds a kept zygote waits unused before it exits
NO_KEEP_VARIABLE = "CNN_GRADER_NO_KEEP"  # set: every `grader check` starts its own zygote
IDLE_SECONDS = 600.0

_PACKAGE = Path(__file__).resolve().parent.parent  # grader/


class Refused(Exception):
    """The private folder exists but is not private (another owner, a wider mode, a link): the
    user should look at it. Said once on stderr; the check goes on with its own zygote."""


def chosen_folder() -> Path:
    """$CNN_GRADER_ZYGOTE_DIR, else $XDG_RUNTIME_DIR/cnn-grader if that folder exists, else
    /tmp/cnn-grader-<uid>."""
    chosen = os.environ.get(FOLDER_VARIABLE)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if chosen:
        return Path(chosen)
    if runtime and os.path.isabs(runtime) and os.path.isdir(runtime):
        return Path(runtime) / "cnn-grader"
    return Path(f"/tmp/cnn-grader-{os.getuid()}")


def private_folder() -> Path:
    """The folder of this user's kept zygotes, made 0700 if need be; `Refused` if it is not
    this user's alone. Never through a link: it is looked at with lstat, not followed."""
    folder = chosen_folder()
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise Refused(f"{folder} is not a folder (a link or a file)")
    if info.st_uid != os.getuid():
        raise Refused(f"{folder} belongs to user {info.st_uid}, not to you ({os.getuid()})")
    if info.st_mode & 0o077:
        raise Refused(f"{folder} is open to others (mode {info.st_mode & 0o777:o}, not 700)")
    return folder


def _stamp(path: Path) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return f"{path}:-"
    return f"{path}:{info.st_mtime_ns}:{info.st_size}"


def code_key() -> str:
    """A hash of what a zygote runs: the grader's files (names, times, sizes; the exercises'
    drivers are read afresh by each worker), the Python environment and torch's version file.
    A `git pull` changes it: the next check then never talks to the old zygote, which exits on
    its own."""
    # the environment, not the name it was started by (python, python3: one interpreter)
    parts = [sys.prefix, os.path.realpath(sys.executable), sys.version]
    for folder, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        parts += [_stamp(Path(folder) / name) for name in sorted(files) if name.endswith(".py")]
    spec = importlib.util.find_spec("torch")
    if spec is not None and spec.origin:
        parts.append(_stamp(Path(spec.origin).with_name("version.py")))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


def idle_seconds() -> float:
    try:
        value = float(os.environ.get(IDLE_VARIABLE, IDLE_SECONDS))
    except ValueError:
        return IDLE_SECONDS
    return value if value > 0 else IDLE_SECONDS

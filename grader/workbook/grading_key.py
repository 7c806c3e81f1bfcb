"""The grading key: a secret the instructor keeps, from which a graded run draws every seeded
input. The same batch and key give the same gradebook; another key gives other inputs."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.workbook.catalog import Exercise

KEY_FILE = "grading.key"
KEY_ENV = "CNN_GRADING_KEY"
_MIN_BYTES = 16


class GradingKeyError(ValueError):
    """A key that cannot be used: not hex, too short, unreadable."""


def parse_key(text: str) -> bytes:
    text = text.strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise GradingKeyError("a grading key is hexadecimal digits (e.g. 64 of them)") from None
    if len(key) < _MIN_BYTES:
        raise GradingKeyError(
            f"a grading key needs at least {2 * _MIN_BYTES} hexadecimal digits, "
            f"this one has {len(text)}"
        )
    return key


def read_key(path: Path) -> bytes:
    try:
        return parse_key(path.read_text(encoding="ascii", errors="strict")[:1000])
    except (OSError, UnicodeDecodeError) as exc:
        raise GradingKeyError(f"cannot read {path}: {exc}") from None


def write_key_file(path: Path, key: bytes) -> None:
    """The key file, readable by its owner only (created exclusively: never through a link)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(key.hex() + "\n")


def key_for_run(out: Path, given: str | None) -> tuple[Path, bool]:
    """The key file of a graded run into `out`: `given` (the --key option, or the environment's
    CNN_GRADING_KEY) when set, else the one kept in `out` from an earlier run, else a new one.
    Returns the file and whether it was made now."""
    path = out / KEY_FILE
    given = given if given is not None else os.environ.get(KEY_ENV)
    if given is not None:
        key = parse_key(given)
        if path.is_file() and not path.is_symlink() and read_key(path) != key:
            path.unlink()  # a regrade with another key: the new key is the one kept
        if not path.exists():
            write_key_file(path, key)
        return path, False
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise GradingKeyError(f"{path} is not a plain file")
    if path.exists():
        read_key(path)
        return path, False
    write_key_file(path, secrets.token_bytes(32))
    return path, True


def seed_for(key: bytes | None, label: str) -> int:
    """The seed of one input: public (from the label) in `grader check`, drawn from the grading key
    in a graded run, so that a learner's memorised outputs are worthless there."""
    if key is None:
        return zlib.crc32(label.encode())
    return int.from_bytes(hmac.new(key, label.encode(), hashlib.sha256).digest()[:4], "big")


def seed_scope(exercise: Exercise) -> str:
    """What an exercise's seeds are named under: `check_NN_<id>.py`, the file its checks were in
    before each exercise became a folder, so that the public inputs stayed the same."""
    return f"check_{exercise.number:02d}_{exercise.id}.py"


class Seeds:
    """The seeds one check file asks for by name: `seeds.get("training", 11)` is 11 in
    `grader check` (the public inputs) and a key-derived number in a graded run."""

    def __init__(self, key: bytes | None, scope: str) -> None:
        self._key, self._scope = key, scope

    def get(self, name: str, public: int) -> int:
        return public if self._key is None else seed_for(self._key, f"{self._scope}::{name}")

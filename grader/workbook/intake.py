"""Intake: the entries of a batch folder (one per student), what each holds, and where its
exercise files are. Torch-free."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from grader.workbook.catalog import Exercise
from grader.workbook.files import find_exercise_file

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Entry:
    """One submission: the student's id (folder name, or zip name without .zip) and its path."""

    student: str
    path: Path

    @property
    def key(self) -> str:
        """A file name for this student that no other student's can equal, even on a file system
        that ignores case: the id made safe, plus a hash of the exact id when that changed it."""
        safe = _SAFE.sub("_", self.student).strip("._") or "student"
        if safe != self.student or safe.lower() != safe:
            safe += "-" + hashlib.sha256(self.student.encode()).hexdigest()[:8]
        return safe


def discover(batch: Path) -> list[Entry]:
    """The submissions in `batch`: its folders and .zip files, sorted by student id."""
    if not batch.is_dir():
        raise FileNotFoundError(f"batch folder {batch} does not exist")
    entries = []
    for child in batch.iterdir():
        if child.name.startswith((".", "__")):
            continue
        if child.is_symlink():
            continue  # a link in a batch could point anywhere; graded submissions are real files
        if child.is_dir():
            entries.append(Entry(child.name, child))
        elif child.is_file() and child.suffix.lower() == ".zip":
            entries.append(Entry(child.name[:-4], child))
    return sorted(entries, key=lambda e: e.student)


def digest(path: Path) -> str:
    """What was graded: the bytes of the zip, or of every file in the folder (links not followed)."""
    hasher = hashlib.sha256()
    if path.is_file():
        hasher.update(path.read_bytes())
        return hasher.hexdigest()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink()):
        hasher.update(str(file.relative_to(path)).encode() + b"\0")
        hasher.update(file.read_bytes())
    return hasher.hexdigest()


def submission_root(folder: Path, exercises: list[Exercise]) -> Path:
    """Where the exercise files are: the folder, or a lone folder inside it (a zip of `alice/`)."""
    for _ in range(2):
        if any(find_exercise_file(folder, e) for e in exercises):
            return folder
        children = [c for c in folder.iterdir() if not c.name.startswith((".", "__"))]
        if len(children) == 1 and children[0].is_dir() and not children[0].is_symlink():
            folder = children[0]
        else:
            break
    return folder

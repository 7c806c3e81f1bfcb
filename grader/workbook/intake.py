"""Intake: the entries of a batch folder (one per student), and, for an entry, which file is graded
for each exercise, with a note that says what was graded and what was not. Torch-free.

The rule, in order:
- a file is an exercise's when its name, ignoring case and a download's copy suffix (` (1)`,
  `-1`, ` copy`), is `NN_<id>.py`; archives (zip, tar, tar.gz, tgz) are opened wherever they sit,
  up to `gather.MAX_DEPTH` deep; `__MACOSX`, `.ipynb_checkpoints`, `__pycache__` and hidden files
  are ignored; files that are not exercise files are skipped unread;
- of several candidates for one exercise, the one in a folder named `exercises` wins, then the
  shallowest, then the most recently modified, then the first by path; the others are named.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader.workbook.catalog import Exercise, load_catalog
from grader.workbook.gather import Found, gather, is_archive
from grader.workbook.identity import gradescope_roster, read_name

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_COPY = re.compile(r"(?:\s*\(\d+\)|-\d+|[\s_-]*copy(?:\s*\(?\d+\)?)?)+$", re.I)
_NUMBERED = re.compile(r"^\d{1,2}[\s_-]")
DUPLICATE_POLICIES = ("error", "newest", "oldest")
NO_FILES = "no exercise files (NN_<id>.py) were found in this submission"


@dataclass(frozen=True)
class Entry:
    """One student's submission: their id, its path (a folder, an archive, or the first of its
    `files` when the site exported loose files), and what the course site called it."""

    student: str
    path: Path
    site_id: str = ""
    site: str = ""
    names: tuple[str, ...] = ()  # the entry's original name(s) in the batch
    files: tuple[tuple[Path, str], ...] = ()  # (path, name inside the submission)
    dropped: tuple[str, ...] = ()  # other entries of this student, not graded

    @property
    def key(self) -> str:
        """A file name for this student that no other student's can equal, even on a file system
        that ignores case: the id made safe, plus a hash of the exact id when that changed it."""
        safe = _SAFE.sub("_", self.student).strip("._") or "student"
        if safe != self.student or safe.lower() != safe:
            exact = self.student.encode("utf-8", "surrogateescape")  # a name that is not UTF-8
            safe += "-" + hashlib.sha256(exact).hexdigest()[:8]
        return safe

    @property
    def items(self) -> list[tuple[Path, str]]:
        return list(self.files) or [(self.path, self.path.name)]


class IntakeError(ValueError):
    """The batch cannot be graded as it is (two entries of one student); the message says why."""


@dataclass
class Survey:
    entries: list[Entry]
    ignored: list[str] = field(default_factory=list)  # names in the batch that are no submission


def survey(batch: Path, duplicates: str = "error", skip: tuple[Path, ...] = ()) -> Survey:
    """The submissions in `batch`, one per student, sorted by id. Two entries that map to one
    student are an IntakeError naming both, unless `duplicates` is "newest" or "oldest"."""
    if not batch.is_dir():
        raise FileNotFoundError(f"batch folder {batch} does not exist")
    roster = gradescope_roster(batch)
    found: dict[str, list[Entry]] = {}
    loose: dict[str, list[tuple[Path, str, str, str]]] = {}
    result = Survey([])
    for child in sorted(batch.iterdir(), key=lambda c: c.name):
        if (
            child.name.startswith((".", "__"))
            or child.name == "submission_metadata.yml"
            or any(child == s for s in skip)
        ):
            continue
        if child.is_symlink() or not (child.is_dir() or child.is_file()):
            result.ignored.append(f"{child.name} (a link or special file)")
            continue
        name = read_name(child.name, child.is_dir(), roster)
        if child.is_dir() or (is_archive(child.name) and not name.inner):
            found.setdefault(name.student, []).append(
                Entry(name.student, child, name.site_id, name.site, (child.name,))
            )
        elif name.site and name.inner:  # a file the site prefixed with its student's name
            loose.setdefault(name.student, []).append((child, name.inner, name.site_id, name.site))
        elif name.site:
            continue  # a site's receipt (Blackboard's .txt), not a submission
        else:
            result.ignored.append(child.name)
    for student, files in loose.items():
        files.sort(key=lambda f: f[0].name)
        found.setdefault(student, []).append(
            Entry(
                student,
                files[0][0],
                files[0][2],
                files[0][3],
                tuple(f[0].name for f in files),
                tuple((f[0], f[1]) for f in files),
            )
        )
    for student, entries in found.items():
        result.entries.append(_one_of(student, entries, duplicates))
    result.entries.sort(key=lambda e: e.student)
    return result


def discover(batch: Path) -> list[Entry]:
    """The submissions in `batch`, sorted by student id (duplicates are an IntakeError)."""
    return survey(batch).entries


def _one_of(student: str, entries: list[Entry], policy: str) -> Entry:
    if len(entries) == 1:
        return entries[0]
    names = [n for e in entries for n in e.names]
    if policy not in ("newest", "oldest"):
        raise IntakeError(
            f"two entries map to student {student!r}: {' and '.join(names)}; keep "
            "one, or pass --duplicates newest (or oldest)"
        )
    ordered = sorted(entries, key=lambda e: (_mtime(e), e.names))
    kept = ordered[-1] if policy == "newest" else ordered[0]
    others = tuple(n for e in entries if e is not kept for n in e.names)
    return Entry(kept.student, kept.path, kept.site_id, kept.site, kept.names, kept.files, others)


def _mtime(entry: Entry) -> float:
    times = []
    for path, _ in entry.items:
        times.append(path.lstat().st_mtime)
        if path.is_dir() and not path.is_symlink():
            times += [p.lstat().st_mtime for p in path.rglob("*") if not p.is_symlink()]
    return max(times)


# Files are hashed by content up to this much per entry, in chunks; the rest by size and time,
# so a student's 4 GB data file costs the grader neither its memory nor minutes of hashing.
DIGEST_CONTENT_BYTES = 256 * 1024**2


def digest(entry: Entry | Path) -> str:
    """What was graded: the entry's files (in folders: every file, links not followed), so that
    --resume regrades a changed submission."""
    hasher = hashlib.sha256()
    budget = DIGEST_CONTENT_BYTES
    items = entry.items if isinstance(entry, Entry) else [(entry, entry.name)]
    files = []
    for path, name in items:
        if path.is_file():
            files.append((path, os.fsencode(name)))
            continue
        found = sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
        files += [(file, os.fsencode(file.relative_to(path))) for file in found]
    for file, name in files:
        hasher.update(name + b"\0")
        try:
            info = file.stat()
            if info.st_size > budget:
                hasher.update(f"{info.st_size} bytes, modified {info.st_mtime_ns}".encode())
                continue
            budget -= info.st_size
            with open(file, "rb") as opened:
                for chunk in iter(lambda opened=opened: opened.read(1 << 20), b""):
                    hasher.update(chunk)
        except OSError as exc:
            hasher.update(f"unreadable: {exc.strerror}".encode())
    return hasher.hexdigest()


# -- which file is graded ---------------------------------------------------------------------


def exercise_of(name: str, exercises: list[Exercise]) -> Exercise | None:
    """The exercise whose file `name` is, ignoring case and a copy suffix; else None."""
    lower = name.lower()
    if not lower.endswith(".py"):
        return None
    stem = _COPY.sub("", lower[:-3]).strip()
    return next((e for e in exercises if e.filename[:-3] == stem), None)


def _looks_like(name: str, exercises: list[Exercise]) -> bool:
    """A near miss, named in the note: a notebook of an exercise, or `1_<id>.py`."""
    stem, dot, suffix = name.lower().rpartition(".")
    if not dot or suffix not in ("py", "ipynb"):
        return False
    return bool(_NUMBERED.match(stem)) or any(
        re.search(rf"(^|[\s_-]){e.id}($|[\s_(-])", stem) for e in exercises
    )


@dataclass
class Intake:
    """For each exercise the file graded (absent: not attempted), and a note saying what was
    done, for the gradebook and the student's feedback ("" when there is nothing to say)."""

    chosen: dict[str, Found]
    note: str
    problems: list[str]

    def stage(self, folder: Path, exercises: list[Exercise]) -> Path:
        """Write the chosen files under their spec names into `folder`, what the checks grade."""
        folder.mkdir(parents=True, exist_ok=True)
        for exercise in exercises:
            if exercise.id in self.chosen:
                (folder / exercise.filename).write_bytes(self.chosen[exercise.id].data)
        return folder


def take_in(items: list[tuple[Path, str]], exercises: list[Exercise]) -> Intake:
    """Decide, for an entry's items (see gather), which file is graded for each exercise (files
    of the workbook's other exercises are left out without a word: --only did not ask)."""
    every = list(load_catalog())
    gathered = gather(
        items, lambda name: exercise_of(name, every) is not None or _looks_like(name, every)
    )
    candidates: dict[str, list[Found]] = {}
    near: list[str] = []
    for found in gathered.found:
        exercise = exercise_of(PurePosixPath(found.path).name, every)
        if exercise is None:
            near.append(found.path)
        else:
            candidates.setdefault(exercise.id, []).append(found)
    chosen: dict[str, Found] = {}
    graded, passed_over = [], []
    for exercise in exercises:
        ranked = sorted(candidates.get(exercise.id, []), key=_rank)
        if not ranked:
            continue
        chosen[exercise.id] = ranked[0]
        graded.append((exercise, ranked[0]))
        passed_over += [f.path for f in ranked[1:]]
    return Intake(
        chosen,
        _note(graded, passed_over, near, gathered.unread, gathered.problems),
        gathered.problems,
    )


def _rank(found: Found) -> tuple:
    parts = PurePosixPath(found.path).parts
    in_exercises = len(parts) > 1 and parts[-2].lower() == "exercises"
    return (not in_exercises, found.depth, -found.mtime, found.path)


def _note(
    graded: list[tuple[Exercise, Found]],
    passed_over: list[str],
    near: list[str],
    unread: int,
    problems: list[str],
) -> str:
    plain = False
    if not graded:
        parts = [NO_FILES]
    else:
        plain = all(f.path == e.filename for e, f in graded)
        parts = [] if plain else [_graded_part(graded)]
    parts += [f"ignored {path}" for path in passed_over]
    parts += [f"ignored {path} (not named NN_<id>.py)" for path in near]
    parts += problems
    if unread and (parts or not graded):
        parts.append(f"skipped {unread} other file(s) unread")
    if parts and graded and plain and (passed_over or near):
        parts.insert(0, _graded_part(graded))
    return "; ".join(parts)


def _graded_part(graded: list[tuple[Exercise, Found]]) -> str:
    """'graded exercises/NN_<id>.py', or per folder 'graded 8 files in cnn/' when the
    files carry their spec names, and each renamed file by its name."""
    folders: dict[str, list[tuple[Exercise, Found]]] = {}
    for exercise, found in graded:
        folders.setdefault(str(PurePosixPath(found.path).parent), []).append((exercise, found))
    parts = []
    for folder, items in folders.items():
        named = [f for e, f in items if PurePosixPath(f.path).name == e.filename]
        if len(named) == 1:
            parts.append(f"graded {named[0].path}")
        elif named:
            where = "the top folder" if folder == "." else folder + "/"
            parts.append(f"graded {len(named)} files in {where}")
        parts += [
            f"graded {f.path} as {e.filename}"
            for e, f in items
            if PurePosixPath(f.path).name != e.filename
        ]
    return "; ".join(parts)

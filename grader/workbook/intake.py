"""Intake: for an entry of a batch (see survey.py for who the entries are), which file is graded
for each exercise, with a note that says what was graded and what was not. Torch-free.

The rule, in order:
- a file is an exercise's when its name, ignoring case, a download's copy suffix (` (1)`, `-1`,
  ` copy`) and a `.txt` added to `.py`, is `NN_<id>.py`; archives (zip, tar, tar.gz, tgz) are
  opened wherever they sit, up to `gather.MAX_DEPTH` deep; `__MACOSX`, `.ipynb_checkpoints`,
  `__pycache__` and hidden files are ignored; other files are skipped unread and named
  (archives the grader does not open, as such);
- a notebook (.ipynb) gives, for each exercise it holds code of, a file inside it,
  `work.ipynb/NN_<id>.py` (grader.workbook.notebook_source);
- of several candidates for one exercise, an untouched stub loses to any other file; then the
  later attempt (Blackboard) wins; then the one in a folder named `exercises`, then the
  shallowest, then the most recently modified, then the first by path; the others are named.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.workbook.catalog import Exercise, load_catalog
from grader.workbook.entries import Entry, IntakeError, Survey
from grader.workbook.gather import Found, gather
from grader.workbook.notebook_source import expand_notebooks, is_notebook
from grader.workbook.survey import DUPLICATE_POLICIES, discover, survey
from grader.workbook.untouched import is_untouched_stub

__all__ = ["DUPLICATE_POLICIES", "Entry", "IntakeError", "Survey", "discover", "survey"]
_COPY = re.compile(r"(?:\s*\(\d+\)|-\d+|[\s_-]*copy(?:\s*\(?\d+\)?)?)+$", re.I)
_NUMBERED = re.compile(r"^\d{1,2}[\s_-]")
NO_FILES = "no exercise files (NN_<id>.py) were found in this submission"


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
    lower = name.lower().removesuffix(".txt")  # `.py.txt`: a site or a mail client added .txt
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


def take_in(
    items: list[tuple[Path, str]],
    exercises: list[Exercise],
    precedence: tuple[tuple[str, int], ...] = (),
) -> Intake:
    """Decide, for an entry's items (see gather), which file is graded for each exercise (files
    of the workbook's other exercises are left out without a word: --only did not ask). An
    untouched stub never wins over another file; then the item of highest `precedence` (a later
    attempt) wins."""
    every = list(load_catalog())
    gathered = gather(
        items,
        lambda name: (
            exercise_of(name, every) is not None or _looks_like(name, every) or is_notebook(name)
        ),
    )
    gathered.found = expand_notebooks(gathered, every)  # each notebook: a file per exercise
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
    order = dict(precedence)
    for exercise in exercises:
        found = candidates.get(exercise.id, [])
        # whether a file is the stub only ranks it among others: a lone file is not parsed
        many = len(found) > 1
        stubs = {f.path for f in found if many and is_untouched_stub(f.data, exercise.filename)}
        ranked = sorted(found, key=lambda f: _rank(f, f.path in stubs, order, exercise.filename))
        if not ranked:
            continue
        chosen[exercise.id] = ranked[0]
        graded.append((exercise, ranked[0]))
        for other in ranked[1:]:
            passed_over.append(other.path + _why_not(other, ranked[0], stubs, order))
    unread = [*gathered.unread_names]
    return Intake(
        chosen,
        _note(graded, passed_over, near, gathered.unread, gathered.problems, unread),
        gathered.problems,
    )


def _item_rank(found: Found, order: dict[str, int]) -> int:
    return order.get(PurePosixPath(found.path).parts[0], 0)


def _rank(found: Found, is_stub: bool, order: dict[str, int], filename: str) -> tuple:
    parts = PurePosixPath(found.path).parts
    in_exercises = len(parts) > 1 and parts[-2].lower() == "exercises"
    later = -_item_rank(found, order)
    # the file of the exact name before a copy beside it (`NN_<id> copy.py`, ` (1)`)
    copy = parts[-1].lower() != filename.lower() if parts else True
    return (is_stub, later, not in_exercises, found.depth, copy, -found.mtime, found.path)


def _why_not(other: Found, chosen: Found, stubs: set[str], order: dict[str, int]) -> str:
    if other.path in stubs and chosen.path not in stubs:
        return " (the stub as handed out, unchanged)"
    if _item_rank(other, order) < _item_rank(chosen, order):
        return " (an earlier attempt)"
    if PurePosixPath(other.path).parent == PurePosixPath(chosen.path).parent:
        if PurePosixPath(chosen.path).name.lower() != PurePosixPath(other.path).name.lower():
            return " (a copy beside the file of the exact name)"
    return ""


def _note(
    graded: list[tuple[Exercise, Found]],
    passed_over: list[str],
    near: list[str],
    unread: int,
    problems: list[str],
    unread_names: list[str] = (),
) -> str:
    plain = False
    if not graded:
        parts = [NO_FILES]
    else:
        plain = all(f.path == e.filename for e, f in graded)
        parts = [] if plain else [_graded_part(graded)]
    parts += [f"ignored {path}" for path in passed_over]
    parts += [f"ignored {path} {_near_reason(path)}" for path in near]
    parts += problems
    if unread:
        named = ", ".join(unread_names)
        more = unread - len(unread_names)
        parts.append(
            f"skipped {unread} other file(s) unread: {named}"
            + (f" and {more} more" if more else "")
        )
    if parts and graded and plain and (passed_over or near):
        parts.insert(0, _graded_part(graded))
    return "; ".join(parts)


def _near_reason(path: str) -> str:
    if path.lower().endswith(".ipynb"):
        return "(a notebook, not graded: save the exercise as NN_<id>.py)"
    return "(not named NN_<id>.py)"


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

"""Grading a whole class: find the submissions in a batch folder, grade each in a pool of grading
processes, and keep every result on disk the moment it is known.

Each submission's result is written atomically to `OUT/.results/<key>.json` (with the digest of
what was graded), so an interrupted run started again with `resume=True` grades only what is
missing or has changed, and ends with the same gradebook as an uninterrupted run.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import socket
import tempfile
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.catalog import Exercise, load_catalog
from grader.layout import find_exercise_file

RESULTS_DIR = ".results"
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
            exact = self.student.encode("utf-8", "surrogateescape")  # a name that is not UTF-8
            safe += "-" + hashlib.sha256(exact).hexdigest()[:8]
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


def atomic_write(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _submission_root(folder: Path, exercises: list[Exercise]) -> Path:
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


def _empty_result(exercises: list[Exercise], note: str) -> dict:
    from grader.results import CheckResult, ExerciseResult, Status, SubmissionResult

    result = SubmissionResult({e.id: ExerciseResult(e.id, e.points, [
        CheckResult("submission", Status.NOT_ATTEMPTED, 0.0, float(e.points), note)]) for e in exercises})
    return result.to_json()


def grade_entry(entry: Entry, exercise_ids: list[str], extra_args: list[str]) -> dict:
    """Grade one submission; never raises. Runs in a grading process of the pool."""
    exercises = [e for e in load_catalog() if e.id in exercise_ids]
    notes: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="grader-batch-") as scratch:
            folder = entry.path
            if entry.path.is_file():
                from grader.archive import ArchiveError, unpack

                try:
                    notes += unpack(entry.path, Path(scratch) / "unpacked")
                except ArchiveError as exc:
                    return {"notes": [str(exc)], "result": _empty_result(exercises, str(exc))}
                folder = Path(scratch) / "unpacked"
            folder = _submission_root(folder, exercises)
            if not any(find_exercise_file(folder, e) for e in exercises):
                note = ("no exercise files (NN_<id>.py) were found in this submission, at its top or one "
                        "folder down")
                return {"notes": notes + [note], "result": _empty_result(exercises, note)}
            from grader.runner import run_checks

            result = run_checks(submission=folder, exercises=exercises, pytest_args=extra_args)
            return {"notes": notes, "result": result.to_json()}
    except Exception as exc:  # noqa: BLE001 - one submission must never stop the batch
        note = f"the grader failed on this submission ({type(exc).__name__}: {exc}); it was given zero"
        return {"notes": notes + [note, traceback.format_exc(limit=3)], "result": _empty_result(exercises, note)}


def _init_grading_process(zygote_sockets: tuple[socket.socket, socket.socket | None] | None) -> None:
    """One thread for torch in the grading process too: the same float rounding in every run.
    Workers are forked by the batch's zygote (and its warm sibling, which has imported
    torchvision and what an optimizer's first step imports), once for all grading processes; the
    next exercise's worker is forked while this one's checks run, as in `grader check`. The exit
    below runs only in a spawned grading process: a forked one ends with os._exit already."""
    import torch

    from grader.worker_client import Zygote, shared_pool

    torch.set_num_threads(1)
    if zygote_sockets is not None:
        shared_pool().attach_zygote(Zygote(attach=zygote_sockets))
    atexit.register(_exit_now)


def _exit_now() -> None:
    """A grading process ends once the pool has no more work: results are sent synchronously, so
    nothing is lost by skipping the interpreter's teardown of torch (about half a second)."""
    from grader.worker_client import shared_pool

    shared_pool().shutdown()
    os._exit(0)


def grade_batch(*, batch: Path, out: Path, workers: int, resume: bool, only: list[str] | None = None,
                extra_args: Iterable[str] = (),
                on_result: Callable[[Entry, dict], None] | None = None,
                on_start: Callable[[int, int], None] | None = None) -> dict[str, dict]:
    """Grade every submission in `batch` into `out`; return {student: stored record}, in id order."""
    entries = discover(batch)
    exercise_ids = [e.id for e in load_catalog() if not only or e.id in only]
    results_dir = out / RESULTS_DIR
    if not resume and results_dir.exists():
        shutil.rmtree(results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    records: dict[str, dict] = {}
    to_grade = []
    for entry in entries:
        stored = _read_record(results_dir / f"{entry.key}.json")
        fingerprint = digest(entry.path)
        if stored and stored.get("digest") == fingerprint and stored.get("exercises") == exercise_ids:
            records[entry.student] = stored
        else:
            to_grade.append((entry, fingerprint))
    if on_start:
        on_start(len(to_grade), len(entries))
    zygote = _start_zygote(exercise_ids) if to_grade else None
    context = _grading_context() if to_grade else multiprocessing.get_context("spawn")
    try:
        records.update(_grade_all(to_grade, exercise_ids, workers, list(extra_args), results_dir,
                                  context, zygote, on_result))
    finally:
        if zygote is not None:
            zygote.close()
    return {e.student: records[e.student] for e in entries}


def _grading_context() -> multiprocessing.context.BaseContext:
    """How the grading processes start: forked from this process once it has imported torch and
    pytest (while the zygote imports torch too, on the other core), so that N grading processes
    cost one import, not N on a machine whose cores the start already keeps busy. A process that
    runs more than one thread cannot be forked safely (the fork copies only the calling
    thread): then each grading process is spawned and imports for itself."""
    import pytest  # noqa: F401
    import torch  # noqa: F401

    import grader.runner  # noqa: F401

    if len(os.listdir("/proc/self/task")) == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _start_zygote(exercise_ids: list[str]):
    from grader.worker_client import NO_ZYGOTE_VARIABLE, Zygote

    if os.environ.get(NO_ZYGOTE_VARIABLE):
        return None
    warm_ups = sorted({w for e in load_catalog() if e.id in exercise_ids for w in e.warm_up})
    return Zygote(tuple(warm_ups))


def _grade_all(to_grade, exercise_ids, workers, extra_args, results_dir, context, zygote, on_result):
    records: dict[str, dict] = {}
    with concurrent.futures.ProcessPoolExecutor(
            max_workers=max(1, workers), mp_context=context, initializer=_init_grading_process,
            initargs=(zygote.sockets if zygote is not None else None,)) as pool:
        futures = {pool.submit(grade_entry, entry, exercise_ids, extra_args): (entry, fingerprint)
                   for entry, fingerprint in to_grade}
        for future in concurrent.futures.as_completed(futures):
            entry, fingerprint = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a grading process died: record it, go on
                note = f"the grading process failed ({type(exc).__name__}: {exc}); it was given zero"
                outcome = {"notes": [note], "result": _empty_result(
                    [e for e in load_catalog() if e.id in exercise_ids], note)}
            record = {"student": entry.student, "key": entry.key, "digest": fingerprint,
                      "exercises": exercise_ids, **outcome}
            record["notes"] = _cut_notes(record.get("notes", []))
            atomic_write(results_dir / f"{entry.key}.json", json.dumps(record, indent=1, sort_keys=True))
            records[entry.student] = record
            if on_result:
                on_result(entry, record)
    return records


def _cut_notes(notes: list[str], most: int = 50) -> list[str]:
    """Notes quote archive entries and exceptions, which the student controls: a bounded list."""
    from grader.reply_limits import cut

    kept = [cut(note) for note in notes[:most]]
    more = len(notes) - most
    return kept + ([f"[cut: {more} more notes not shown]"] if more > 0 else [])


def _read_record(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # not graded yet (results appear only whole, by rename), or damaged by hand
    return record if isinstance(record, dict) and "result" in record else None

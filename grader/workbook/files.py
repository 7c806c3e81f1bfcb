"""Files: where an exercise's file sits in a submission, importing a file by path, and writing a
file atomically. Torch-free, so the CLI can use it before starting a worker."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import tempfile
from pathlib import Path
from types import CodeType, ModuleType

from grader.workbook.catalog import Exercise


def find_exercise_file(submission_dir: Path, exercise: Exercise) -> Path | None:
    """The exercise's file at the top of the submission or one folder down, never via a link out."""
    root = submission_dir.resolve()
    candidates = [submission_dir / exercise.filename]
    if submission_dir.is_dir():
        candidates += sorted(
            child / exercise.filename
            for child in submission_dir.iterdir()
            if child.is_dir() and not child.name.startswith((".", "__"))
        )
    for candidate in candidates:
        if candidate.is_file() and candidate.resolve().is_relative_to(root):
            return candidate
    return None


def _spec(name: str, path: Path | str) -> importlib.machinery.ModuleSpec:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    return spec


def load_file(name: str, path: Path | str) -> ModuleType:
    """Import a Python file by path (exercise files start with digits, so `import` cannot)."""
    spec = _spec(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_compiled: dict[str, tuple[bytes, CodeType]] = {}  # path -> (its bytes, their code)


def load_grader_file(name: str, path: Path | str) -> ModuleType:
    """As `load_file`, for the grader's own files that a grading process loads again for every
    submission (references, oracles, inputs, drivers): a fresh module each time, its code
    compiled once while the file's bytes stay the same (no bytecode cache is read or written)."""
    spec = _spec(name, path)
    source = Path(path).read_bytes()
    kept = _compiled.get(str(path))
    if kept is None or kept[0] != source:
        kept = _compiled[str(path)] = (source, spec.loader.source_to_code(source, spec.origin))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    exec(kept[1], module.__dict__)  # noqa: S102 - the grader's own file, as exec_module runs it
    return module


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

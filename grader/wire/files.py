"""Files the grader gives a worker travel as bytes in a request; the worker writes them itself.

The grading process never writes into (nor reads from) the worker's scratch folder: student
code may have prepared it, with a symbolic link or a FIFO where a file is expected, and the
grader, outside the cage, would follow it. The worker, inside it, can only harm itself. It
writes into a folder it has just made (a fresh name), each file created anew (O_EXCL), no
link followed (O_NOFOLLOW), through descriptors of the folders it made.
"""

from __future__ import annotations

import base64
import os
import stat
import tempfile
from pathlib import Path

MAX_SOURCE = 4 * 1024**2  # bytes: an exercise file larger than this is not a learner's
MAX_FILES = 64
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def read_source(path: Path) -> bytes:
    """A submission's exercise file, read by the grader: a regular file, at most MAX_SOURCE
    bytes (O_NONBLOCK: a FIFO in its place never blocks the grader)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path.name} is not a regular file")
        data = os.read(fd, MAX_SOURCE + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_SOURCE:
        raise OSError(f"{path.name} is larger than {MAX_SOURCE // 1024**2} MiB")
    return data


def encode(files: dict[str, bytes]) -> dict[str, str]:
    """Files for a request: relative path -> base64 text."""
    return {name: base64.b64encode(data).decode("ascii") for name, data in files.items()}


def _parts(name: str) -> list[str]:
    parts = name.split("/")
    if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"not a plain relative path: {name!r}")
    return parts


def _write(dir_fd: int, name: str, data: bytes) -> None:
    fd = os.open(name, _CREATE, 0o644, dir_fd=dir_fd)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def write_new(folder: Path, files: dict[str, str]) -> None:
    """In the worker: write `files` (as `encode` makes them) under `folder`, which must not exist
    yet (it is made here); sub-folders are made here too."""
    if len(files) > MAX_FILES:
        raise ValueError(f"more than {MAX_FILES} files")
    os.mkdir(folder, 0o755)
    top = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        for name, text in files.items():
            *dirs, leaf = _parts(name)
            fd = os.dup(top)
            try:
                for part in dirs:
                    try:
                        os.mkdir(part, 0o755, dir_fd=fd)
                    except FileExistsError:
                        pass  # made for an earlier file; opened without following a link below
                    inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
                    os.close(fd)
                    fd = inner
                _write(fd, leaf, base64.b64decode(text, validate=True))
            finally:
                os.close(fd)
    finally:
        os.close(top)


def write_fresh(scratch: Path, prefix: str, files: dict[str, str]) -> str:
    """In the worker: a new folder in `scratch` with a name student code could not foresee,
    holding `files`; its path."""
    if not prefix.isidentifier():
        raise ValueError(f"not a folder prefix: {prefix!r}")
    folder = Path(tempfile.mktemp(prefix=prefix + "-", dir=scratch))  # made by write_new, O_EXCL
    write_new(folder, files)
    return str(folder)


def write_new_file(scratch: Path, name: str, text: str) -> None:
    """In the worker: the submission's file in its scratch folder, written anew under a fresh
    name and renamed into place (a rename replaces a link; it never follows one)."""
    if _parts(name) != [name]:
        raise ValueError(f"not a file name: {name!r}")
    fd = os.open(scratch, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        fresh = Path(tempfile.mktemp(prefix=f".{name}-", dir="")).name
        _write(fd, fresh, base64.b64decode(text, validate=True))
        os.replace(fresh, name, src_dir_fd=fd, dst_dir_fd=fd)
    finally:
        os.close(fd)

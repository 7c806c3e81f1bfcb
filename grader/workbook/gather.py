"""Gathering what a submission holds: its folders and the archives in them (zip, tar, tar.gz,
tgz), nested a few deep, as a list of names. Only the files intake asks for are read, each with a
cap, so a student who zipped a data folder too costs a listing, not an extraction. Links are
never followed, and nothing is written to disk. Torch-free."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

MAX_DEPTH = 3  # archives inside archives inside an entry
MAX_FILE_BYTES = 2 * 1024**2  # a wanted file larger than this is not read
MAX_ARCHIVE_BYTES = 256 * 1024**2  # a nested archive is read into memory up to this size
MAX_READ_BYTES = 512 * 1024**2  # all one entry may read, wanted files and nested archives
# A tar is listed by reading through it (decompressing it): all of one entry's tars together,
# this far and no further, so that a small compressed tar cannot cost minutes of decompression.
MAX_SCAN_BYTES = 1024**3
IGNORED_FOLDERS = frozenset({"__macosx", ".ipynb_checkpoints", "__pycache__"})
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz")
# Archives the grader does not open: named as such, so the student knows to send a .zip.
UNSUPPORTED_SUFFIXES = (".rar", ".7z", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".bz2", ".xz", ".gz")
UNREAD_NAMED = 10  # files skipped unread are named up to this many, then counted


@dataclass(frozen=True)
class Found:
    """A wanted file: where it is in the entry (archives appear as folders) and its bytes."""

    path: str
    mtime: float
    data: bytes

    @property
    def depth(self) -> int:
        return len(PurePosixPath(self.path).parts) - 1


@dataclass
class Gathered:
    found: list[Found] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be opened or read, and why
    unread: int = 0  # files skipped unread (not wanted)
    unread_names: list[str] = field(default_factory=list)  # the first UNREAD_NAMED of them
    read_bytes: int = 0
    scanned_bytes: int = 0  # how far the entry's tars were read through to list them


def _skip(where: str, out: Gathered) -> None:
    """A file not wanted: counted, named (up to UNREAD_NAMED), or said to be an archive the
    grader does not open."""
    lower = where.lower()
    if lower.endswith(".ipynb"):
        out.problems.append(f"{where} is a notebook, not graded: save the exercise as NN_<id>.py")
        return
    if lower.endswith(UNSUPPORTED_SUFFIXES) and not lower.endswith(ARCHIVE_SUFFIXES):
        kind = lower.rsplit(".", 1)[-1]
        out.problems.append(
            f"{where} is a .{kind} archive, which the grader does not open: send a .zip, .tar, "
            ".tar.gz or .tgz"
        )
        return
    out.unread += 1
    if len(out.unread_names) < UNREAD_NAMED:
        out.unread_names.append(where)


def is_archive(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def ignored(name: str) -> bool:
    """Hidden files, macOS resource forks and editor or interpreter caches."""
    return name.startswith(".") or name.lower() in IGNORED_FOLDERS


def gather(items: list[tuple[Path, str]], wanted: Callable[[str], bool]) -> Gathered:
    """What an entry holds that `wanted(basename)` accepts. `items` are (path, name shown): one
    folder (its contents are shown from its top), or the files of an entry made of files."""
    out = Gathered()
    for path, name in items:
        try:
            info = os.lstat(path)
        except OSError as exc:
            out.problems.append(f"{name} cannot be read ({exc.strerror})")
            continue
        if stat.S_ISDIR(info.st_mode):  # one folder is shown from its top; several by name
            _walk_folder(path, "" if len(items) == 1 else name, out, wanted)
        else:
            _take_file(path, name, info, out, wanted, depth=0)
    return out


def _join(prefix: str, name: str) -> str:
    return f"{prefix}/{name}" if prefix else name


def _walk_folder(folder: Path, prefix: str, out: Gathered, wanted: Callable[[str], bool]) -> None:
    try:
        children = sorted(os.scandir(folder), key=lambda c: c.name)
    except OSError as exc:
        out.problems.append(f"{prefix or 'the folder'} cannot be listed ({exc.strerror})")
        return
    for child in children:
        if ignored(child.name):
            continue
        where = _join(prefix, child.name)
        try:
            info = child.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISLNK(info.st_mode):
            out.problems.append(f"{where} is a link, not followed")
        elif stat.S_ISDIR(info.st_mode):
            _walk_folder(Path(child.path), where, out, wanted)
        elif stat.S_ISREG(info.st_mode):
            _take_file(Path(child.path), where, info, out, wanted, depth=0)


def _take_file(
    path: Path,
    where: str,
    info: os.stat_result,
    out: Gathered,
    wanted: Callable[[str], bool],
    depth: int,
) -> None:
    name = PurePosixPath(where).name
    if not stat.S_ISREG(info.st_mode):
        out.problems.append(f"{where} is not a regular file, not read")
        return
    if is_archive(name) or wanted(name):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as exc:
            out.problems.append(f"{where} cannot be read ({exc.strerror})")
            return
        with os.fdopen(fd, "rb") as file:
            if is_archive(name):  # opened where it lies: only its wanted members are read
                _open_archive(where, file, out, wanted, depth + 1)
                return
            data = _bounded(file, where, MAX_FILE_BYTES, out)
        if data is not None:
            out.found.append(Found(where, info.st_mtime, data))
    else:
        _skip(where, out)


def _bounded(file: BinaryIO, where: str, limit: int, out: Gathered) -> bytes | None:
    """At most `limit` bytes, within what the entry may still read; None (and a problem) if more."""
    allowed = min(limit, MAX_READ_BYTES - out.read_bytes)
    data = file.read(allowed + 1)
    if len(data) > allowed:
        what = (
            "the grader's reading budget for one submission"
            if allowed < limit
            else f"{limit // 1024**2} MB"
        )
        out.problems.append(f"{where} is larger than {what}, not read")
        return None
    out.read_bytes += len(data)
    return data


def _take(
    where: str, mtime: float, data: bytes, out: Gathered, wanted: Callable[[str], bool], depth: int
) -> None:
    """A file read whole: an archive is opened (when not too deep), anything else is found."""
    if not is_archive(PurePosixPath(where).name):
        out.found.append(Found(where, mtime, data))
    elif depth >= MAX_DEPTH:
        out.problems.append(f"{where} is an archive nested more than {MAX_DEPTH} deep, not opened")
    else:
        _open_archive(where, io.BytesIO(data), out, wanted, depth + 1)


def _open_archive(
    where: str, source: BinaryIO, out: Gathered, wanted: Callable[[str], bool], depth: int
) -> None:
    kind = "zip" if where.lower().endswith(".zip") else "tar"
    try:
        members = _zip_members(source) if kind == "zip" else _tar_members(source, out)
        for name, mtime, size, is_file, reader in members:
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if not is_file or any(ignored(p) for p in parts) or not parts:
                continue
            inner = _join(where, "/".join(p for p in parts if p not in ("/", "..", ".")))
            base = parts[-1]
            if not (is_archive(base) or wanted(base)):
                _skip(inner, out)
                continue
            limit = MAX_ARCHIVE_BYTES if is_archive(base) else MAX_FILE_BYTES
            if size > limit:
                out.problems.append(f"{inner} is larger than {limit // 1024**2} MB, not read")
                continue
            with reader() as file:
                content = _bounded(file, inner, limit, out)
            if content is not None:
                _take(inner, mtime, content, out, wanted, depth)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        tarfile.TarError,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,
        ValueError,
    ) as exc:
        out.problems.append(f"{where} is not a readable {kind} archive ({exc})")


Member = tuple[str, float, int, bool, Callable[[], BinaryIO]]


def _zip_members(source: BinaryIO) -> Iterator[Member]:
    zipped = zipfile.ZipFile(source)
    for info in zipped.infolist():
        is_link = stat.S_ISLNK(info.external_attr >> 16)
        mtime = _zip_time(info.date_time)
        yield (
            info.filename,
            mtime,
            info.file_size,
            not info.is_dir() and not is_link,
            lambda info=info: zipped.open(info),
        )


def _zip_time(date_time: tuple[int, ...]) -> float:
    import datetime

    try:
        return datetime.datetime(*date_time).timestamp()
    except (ValueError, OverflowError):
        return 0.0


def _tar_members(source: BinaryIO, out: Gathered) -> Iterator[Member]:
    # "r:*" reads plain, gzip, bzip2 and xz tars; members are streamed, never extracted
    with tarfile.open(fileobj=source, mode="r:*") as tar:
        for info in tar:
            # checked before the next header is looked for, which reads through this member
            if out.scanned_bytes + info.offset_data + info.size > MAX_SCAN_BYTES:
                out.scanned_bytes = MAX_SCAN_BYTES
                raise ValueError(
                    f"its members reach past the {MAX_SCAN_BYTES // 1024**3} GB the grader reads "
                    "through to list one submission's tar archives"
                )

            def reader(info: tarfile.TarInfo = info) -> BinaryIO:
                return tar.extractfile(info) or io.BytesIO()

            yield info.name, float(info.mtime), info.size, info.isreg(), reader
        out.scanned_bytes += tar.offset

"""Unpacking a submission `.zip` safely: no entry lands outside its folder, no link is made, and a
corrupt or oversized archive is a clear `ArchiveError`, never a crash."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

MAX_ENTRIES = 2000
MAX_TOTAL_BYTES = 200 * 1024**2  # unpacked; a zip bomb stops here


class ArchiveError(ValueError):
    """The archive cannot be used; the message says why, in words an instructor can act on."""


def unpack(archive: Path, target: Path) -> list[str]:
    """Unpack `archive` into `target` (created); return the entries skipped, with the reason."""
    skipped: list[str] = []
    try:
        with zipfile.ZipFile(archive) as zipped:
            entries = zipped.infolist()
            if len(entries) > MAX_ENTRIES:
                raise ArchiveError(f"{archive.name} holds {len(entries)} entries, more than {MAX_ENTRIES}")
            if sum(e.file_size for e in entries) > MAX_TOTAL_BYTES:
                raise ArchiveError(f"{archive.name} unpacks to more than {MAX_TOTAL_BYTES // 1024**2} MB")
            target.mkdir(parents=True, exist_ok=True)
            root = target.resolve()
            for entry in entries:
                reason = _unsafe(entry)
                destination = (root / entry.filename).resolve()
                if reason is None and not destination.is_relative_to(root):
                    reason = "it would land outside its folder"
                if reason:
                    skipped.append(f"{entry.filename}: skipped, {reason}")
                    continue
                if entry.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                written = 0
                with zipped.open(entry) as source, open(destination, "wb") as out:
                    while chunk := source.read(1 << 20):
                        written += len(chunk)
                        if written > MAX_TOTAL_BYTES:  # the header lied about the size
                            raise ArchiveError(f"{archive.name}: {entry.filename} unpacks to more than "
                                               "its header says")
                        out.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError,
            ValueError, OSError) as exc:
        if isinstance(exc, ArchiveError):
            raise
        raise ArchiveError(f"{archive.name} is not a readable zip archive ({exc})") from None
    return skipped


def _unsafe(entry: zipfile.ZipInfo) -> str | None:
    name = PurePosixPath(entry.filename.replace("\\", "/"))
    if name.is_absolute() or ".." in name.parts or ":" in entry.filename:
        return "its path is absolute or climbs out with '..'"
    if stat.S_ISLNK(entry.external_attr >> 16):
        return "it is a symbolic link"
    return None

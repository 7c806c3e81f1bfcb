"""What a stored result remembers of how it was made besides the submission and the key: the
checks, workbook.toml and the grader's own code and version. A result made otherwise is stale:
--resume grades it again. Torch-free."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata

from grader.workbook.paths import CATALOG_FILE, CHECKS_DIR, PROJECT_ROOT

MARK_PREFIX = ";made:"


@lru_cache(maxsize=1)
def run_mark() -> str:
    """A short hash of the checks (every file under checks/), workbook.toml, the grader's source
    and its installed version."""
    hasher = hashlib.sha256()
    try:
        hasher.update(metadata.version("cnn-workbook").encode())
    except metadata.PackageNotFoundError:
        hasher.update(b"unversioned")
    for root in (CHECKS_DIR, PROJECT_ROOT / "grader"):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
            if "__pycache__" in path.parts:
                continue
            hasher.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0")
            hasher.update(path.read_bytes())
    hasher.update(CATALOG_FILE.read_bytes())
    return MARK_PREFIX + hasher.hexdigest()[:16]

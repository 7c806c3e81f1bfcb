"""The integrity of a GitHub Classroom repository handed in as a batch entry (a clone of the
student's repository): its workflow against the one `grader export github-classroom` writes, and
the grader, checks and import hooks it holds against this copy's own. A student who owns the
repository can change what Classroom ran and reported; `grader grade` runs none of it, and this
says where the two may disagree. Files are listed without following links and read within bounds.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from grader.workbook.paths import PROJECT_ROOT

WORKFLOWS = Path(".github") / "workflows"
TEMPLATE_WORKFLOW = "classroom.yml"
# Folders of the workbook the grading step imports: compared file by file with this copy's.
GRADER_FOLDERS = ("grader", "checks")
# Files that Python, pip or pytest run by their presence.
IMPORT_HOOKS = ("sitecustomize.py", "usercustomize.py", "conftest.py", "setup.py", "pytest.ini")
MAX_FILES = 2000  # listed per repository; past it the rest is one finding
MAX_BYTES = 1 << 20  # read per file; a longer one is compared by its first MiB and its size
MAX_FINDINGS = 20  # per repository, then one "and N more"


Finding = tuple[str, str, str]  # kind, what, file


def class_findings(folders: dict[str, Path]) -> dict[str, list[Finding]]:
    """Per student, each way their repository differs from the template: from this copy's own
    files (and the workflow its `grader export github-classroom` writes), unless at least half of
    the class's repositories (3 or more) hold the very same file: that is the class's template
    (a handout's recorded values, a workflow written by another version). No entry for a
    submission that is not a repository."""
    raw = {s: found for s, f in folders.items() if (found := differences(f)) is not None}
    return judged(raw)


def differences(folder: Path) -> list[tuple[Finding, str]] | None:
    """A repository's differences from this copy, each with the digest of the file that makes it
    ("" for none); None when `folder` is not a repository. Judged with the class's by `judged`."""
    root = _repository_root(folder)
    return None if root is None else _differences(root)


def judged(raw: dict[str, list[tuple[Finding, str]]]) -> dict[str, list[Finding]]:
    """The class's differences (see `differences`) less those half the class shares."""
    held: dict[tuple[str, str], int] = {}
    for found in raw.values():
        for key in {(f[2], digest) for f, digest in found if digest}:
            held[key] = held.get(key, 0) + 1
    common = max(3, (len(raw) + 1) // 2)
    out = {}
    for student, found in raw.items():
        kept = [f for f, digest in found if not digest or held[(f[2], digest)] < common]
        if len(kept) > MAX_FINDINGS:
            more = len(kept) - MAX_FINDINGS
            kept = kept[:MAX_FINDINGS] + [("grader_files", f"and {more} more", "")]
        out[student] = kept
    return out


def repository_findings(folder: Path) -> list[Finding]:
    """One repository's findings, judged against this copy alone (see class_findings)."""
    return class_findings({"": folder}).get("", [])


def _differences(root: Path) -> list[tuple[Finding, str]]:
    """Each difference, with the digest of the file that makes it ("" for none)."""
    found = _workflow_findings(root)
    for name in GRADER_FOLDERS:
        found += _folder_findings(root, name)
    if _is_dir(root / ".cnn-grader"):
        what = "commits a .cnn-grader folder (where Classroom puts the grader)"
        found.append((("grader_files", what, ".cnn-grader"), ""))
    for name in IMPORT_HOOKS:
        digest = _digest(root / name)
        if digest and digest != _digest(PROJECT_ROOT / name):
            found.append((("grader_files", f"holds a {name} that this copy has not", name), digest))
    return found


def _repository_root(folder: Path) -> Path | None:
    if not _is_dir(folder):
        return None
    if _is_dir(folder / ".github") or _is_dir(folder / ".git"):
        return folder
    try:
        inner = [p for p in sorted(folder.iterdir())[:100] if _is_dir(p / ".github")]
    except OSError:
        return None
    return inner[0] if len(inner) == 1 else None


def _workflow_findings(root: Path) -> list[tuple[Finding, str]]:
    from grader.reports.classroom_workflow import workflow_yaml

    found = []
    for path in _files(root / WORKFLOWS)[0]:
        name = str(path.relative_to(root))
        if path.name != TEMPLATE_WORKFLOW:
            what = "a workflow the template does not have"
            found.append((("classroom_workflow", what, name), _digest(path)))
            continue
        text = _read(path).decode("utf-8", "replace")
        line = _first_difference(text, workflow_yaml(**_options(text)))
        if line:
            what = f"the Classroom workflow differs from the template (line {line})"
            found.append((("classroom_workflow", what, name), _digest(path)))
    return found


def _options(text: str) -> dict:
    """The options `grader export github-classroom` was given, as far as the file says."""
    options: dict = {}
    if m := re.search(r'^          python-version: "([\d.]+)"$', text, re.M):
        options["python"] = m.group(1)
    if m := re.search(r"^    timeout-minutes: (\d{1,4})$", text, re.M):
        options["timeout"] = int(m.group(1))
    if m := re.search(r'"\$GITHUB_WORKSPACE/([\w./-]+)"$', text, re.M):
        options["exercises"] = m.group(1)
    if m := re.search(r"^          repository: ([\w.-]+/[\w.-]+)$", text, re.M):
        ref = re.search(r"^          ref: ([\w./-]+)$", text, re.M)
        options["grader_repo"] = m.group(1) + (f"@{ref.group(1)}" if ref else "")
    return options


def _first_difference(text: str, template: str) -> int:
    """The first line (1-based) where `text` and `template` differ; 0 when they are the same."""
    if text == template:
        return 0
    mine, theirs = text.splitlines(), template.splitlines()
    for number, (a, b) in enumerate(zip(mine, theirs), 1):
        if a != b:
            return number
    return min(len(mine), len(theirs)) + 1


def _folder_findings(root: Path, name: str) -> list[tuple[Finding, str]]:
    files, more = _files(root / name)
    found = []
    for path in files:
        relative, digest = path.relative_to(root), _digest(path)
        ours = PROJECT_ROOT / relative
        if not _is_file(ours):
            what = f"holds {relative}, which this copy has not"
        elif digest != _digest(ours):
            what = f"its {relative} differs from this copy's"
        else:
            continue
        found.append((("grader_files", what, str(relative)), digest))
    if more:
        what = f"holds more than {MAX_FILES} files in {name}/"
        found.append((("grader_files", what, name), ""))
    return found


def _files(folder: Path) -> tuple[list[Path], bool]:
    """The regular files under `folder`, links not followed; whether some were left out."""
    found: list[Path] = []
    stack = [folder] if _is_dir(folder) else []
    while stack:
        try:
            entries = sorted(os.scandir(stack.pop()), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if len(found) >= MAX_FILES:
                return found, True
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
    return found, False


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _read(path: Path) -> bytes:
    """At most MAX_BYTES of a regular file, never through a link, never blocking on a FIFO."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return b""
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(MAX_BYTES)
    finally:
        os.close(descriptor)


def _digest(path: Path) -> str:
    if not _is_file(path):
        return ""
    return hashlib.sha256(_read(path)).hexdigest() + f":{os.lstat(path).st_size}"

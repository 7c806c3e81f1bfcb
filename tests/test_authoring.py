"""docs/authoring.md, followed in a copy of the project: its example adds a ninth exercise by
touching only the catalog, the exercise's folder, its stub and its reference; `grader selfcheck`
first names what is missing, then passes (the reference earns full points, the stub is not
attempted), and the example's corpus entry fails its check with the words that name it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.workbook.catalog import load_catalog
from grader.workbook.paths import PROJECT_ROOT
from tests.corpus import parse

GUIDE = PROJECT_ROOT / "docs" / "authoring.md"
# ```python path=solutions/09_x.py (write the file) or ```toml append=workbook.toml
_BLOCK = re.compile(r"^```\w+ (path|append)=(\S+)\n(.*?)^```$", re.M | re.S)
# What the copy needs to run the grader: the code, the catalog, the checks and the references
_COPIED = ("grader", "checks", "solutions", "workbook.toml", "pyproject.toml")


def guide_blocks() -> list[tuple[str, str, str]]:
    """(how, path, text) of each file block of the guide, in order."""
    return [m.groups() for m in _BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))]


def _copy_project(root: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "expected")
    for name in _COPIED:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=ignore)
        else:
            shutil.copyfile(source, root / name)
    (root / "exercises").mkdir()  # only the new stub: selfcheck ID reads only its own
    return root


def _follow(root: Path, blocks: list[tuple[str, str, str]]) -> None:
    for how, path, text in blocks:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if how == "append":
            target.write_text(target.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
        else:
            target.write_text(text, encoding="utf-8")


def _grader(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m grader ARGS` in the copy: its own grader package, catalog and checks."""
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_guide_adds_a_ninth_exercise_that_selfcheck_accepts(tmp_path):
    blocks = guide_blocks()
    paths = [path for _, path, _ in blocks]
    folder = next(p for p in paths if p.startswith("checks/")).split("/")[1]
    number, exercise_id = folder.split("_", 1)
    assert int(number) == len(load_catalog()) + 1  # the example comes after today's exercises
    # what the guide touches: the catalog, the folder, the stub and the reference, nothing else
    allowed = {"workbook.toml", f"solutions/{folder}.py", f"exercises/{folder}.py"}
    assert all(p in allowed or p.startswith(f"checks/{folder}/") for p in paths), paths
    assert {f"checks/{folder}/check_{folder}.py", f"checks/{folder}/corpus.txt"} <= set(paths)
    root = _copy_project(tmp_path / "project")

    # the catalog, the reference and the stub first: selfcheck names the missing folder
    _follow(root, [b for b in blocks if not b[1].startswith("checks/")])
    early = _grader(root, "selfcheck", exercise_id)
    assert early.returncode == 1, early.stdout + early.stderr
    assert f"checks/{folder}/ is missing" in early.stdout
    assert "next: fix the problems above" in early.stdout

    _follow(root, [b for b in blocks if b[1].startswith("checks/")])
    done = _grader(root, "selfcheck", exercise_id)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "selfcheck: OK" in done.stdout and f"test_corpus.py -k '{exercise_id}'" in done.stdout

    # the corpus's mistake loses its check's points, named in the guide's words
    wrong, _ = parse((root / "checks" / folder / "corpus.txt").read_text(), exercise_id)
    assert wrong, "the guide's corpus has a wrong variant"
    submission = tmp_path / "wrong"
    submission.mkdir()
    source = (root / "solutions" / f"{folder}.py").read_text()
    for old, new in wrong[0].edits:
        assert old in source
        source = source.replace(old, new)
    (submission / f"{folder}.py").write_text(source)
    run = _grader(root, "check", exercise_id, "--json", "--submission", str(submission))
    assert run.returncode == 1, run.stdout + run.stderr
    checks = json.loads(run.stdout)["exercises"][exercise_id]["checks"]
    failed = [c for c in checks if not c["passed"]]
    assert [c["name"] for c in failed if c["name"].startswith(wrong[0].check)], checks
    assert all(w in failed[0]["message"] for w in wrong[0].words), failed


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda folder: (folder / "notes.md").write_text("x"), "notes.md is none of"),
        (lambda folder: (folder / "check_helpers.py").write_text(""), "pytest needs them"),
        (lambda folder: (folder.parent / "10_stray").mkdir(), "no exercise of workbook.toml"),
    ],
)
def test_selfcheck_names_a_folder_that_nothing_would_load(tmp_path, monkeypatch, edit, problem):
    from grader.workbook import catalog, exercise_folder

    checks = tmp_path / "checks"
    shutil.copytree(PROJECT_ROOT / "checks", checks, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(catalog, "CHECKS_DIR", checks)
    monkeypatch.setattr(exercise_folder, "CHECKS_DIR", checks)
    assert exercise_folder.folder_problems() == []
    edit(checks / catalog.load_catalog()[0].folder.name)
    assert any(problem in p for p in exercise_folder.folder_problems())


def test_the_framework_names_no_exercise():
    """grader/ finds exercises through the catalog: no id (those that are not plain words such
    as `data`), folder or file name of one appears in its code, comments or docstrings."""
    names = [
        name
        for e in load_catalog()
        for name in (e.folder.name, e.filename.removesuffix(".py"), e.id)
        if "_" in name
    ]
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    found = [
        f"{path.relative_to(PROJECT_ROOT)}:{number}: {match.group(0)}"
        for path in sorted((PROJECT_ROOT / "grader").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (match := pattern.search(line))
    ]
    assert not found, found

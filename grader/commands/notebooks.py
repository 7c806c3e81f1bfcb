"""`grader notebooks [--out DIR]`: a learner's notebook per exercise, made from the stub in
exercises/ and the catalog, never kept by hand (tests/test_notebooks.py holds that each one's
tagged cells are its stub's code).

One notebook per exercise, not one for the workbook: each matches one `NN_<id>.py` (a learner
can move between the two, and hand in either), a kernel holds one exercise's names (a half-done
exercise 03 cannot break the check of 05), and each opens and runs on its own in Colab.

Each notebook: the exercise's context (the stub's own words and its tutorial section), a set-up
cell (installs the workbook where it is missing, as in Colab), the stub's code in cells tagged
`exercise:<id>` (imports, then a cell per function or class), and a check cell.
"""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import click

from grader.workbook.catalog import Exercise, load_catalog
from grader.workbook.files import atomic_write
from grader.workbook.notebook_source import tag_of
from grader.workbook.paths import EXERCISES_DIR, PROJECT_ROOT

SETUP = """\
# Set-up. Where the workbook is not installed (Colab), this fetches and installs it once (about
# {seconds} s where torch is already installed, as in Colab); elsewhere it does nothing.
import importlib.util, os, subprocess, sys

WORKBOOK = {source!r}  # your class's copy of the workbook (a git URL or a folder)
if importlib.util.find_spec("grader") is None:
    if not WORKBOOK:
        raise RuntimeError("set WORKBOOK above to your class's copy of the workbook (a git URL)")
    if not os.path.isdir("cnn-workbook"):
        subprocess.run(["git", "clone", "-q", "--depth=1", WORKBOOK, "cnn-workbook"], check=True)
    pip = [sys.executable, "-m", "pip", "install", "-q", "-e", "cnn-workbook"]
    subprocess.run(pip, check=True)
    sys.path.insert(0, os.path.abspath("cnn-workbook"))
from grader.notebook import check, hint, solution"""
INSTALL_SECONDS = 30  # measured: see docs/performance.md, "The notebooks' set-up cell"


def default_source() -> str:
    """Where learners fetch the workbook from: this checkout's git remote, else its folder."""
    try:
        url = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        url = ""
    return url or str(PROJECT_ROOT)


def context(exercise: Exercise, docstring: str) -> str:
    """The notebook's opening: the stub's own explanation, with the notebook's ways to check."""
    paragraphs = [p.strip() for p in docstring.strip().split("\n\n")[1:]]
    kept = [
        " ".join(line for line in p.splitlines() if not line.startswith("Check your work"))
        for p in paragraphs
        if not p.startswith("Tutorial:")  # the catalog's section says it, below the title
    ]
    steps = (
        f"Fill in the cells tagged `{tag_of(exercise)}` (each `raise NotImplementedError` "
        f'is yours to replace), run them, then run `check("{exercise.id}")`. Stuck? '
        f'`hint("{exercise.id}")` gives the next hint; `solution("{exercise.id}")` shows the '
        f"reference once the exercise passes (or with `give_up=True`)."
    )
    title = f"# Exercise {exercise.number:02d}: {exercise.title}"
    section = f"*Tutorial: {exercise.section}.*"
    return "\n\n".join([title, section, *[k for k in kept if k], steps])


def stub_cells(code: str) -> list[str]:
    """The stub's code (its docstring removed) split before each top-level function or class:
    the imports first, then one cell per definition."""
    lines = code.splitlines()
    tree = ast.parse(code)
    starts = [
        min([n.lineno, *(d.lineno for d in n.decorator_list)]) - 1
        for n in tree.body
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    ]
    bounds = [0, *starts, len(lines)]
    cells = ["\n".join(lines[a:b]).strip("\n") for a, b in zip(bounds, bounds[1:])]
    return [c for c in cells if c.strip()]


def without_docstring(stub: str) -> str:
    tree = ast.parse(stub)
    first = tree.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return "\n".join(stub.splitlines()[first.end_lineno :]).strip("\n") + "\n"
    return stub


def _cell(kind: str, source: str, cell_id: str, tags: list[str] | None = None) -> dict:
    cell: dict = {
        "cell_type": kind,
        "id": cell_id,
        "metadata": {"tags": tags} if tags else {},
        "source": source.splitlines(keepends=True),
    }
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def notebook(exercise: Exercise, source: str, stubs: Path = EXERCISES_DIR) -> dict:
    """The notebook of one exercise, as nbformat 4.5 JSON, from its stub in `stubs`; `source` is
    where set-up fetches the workbook from."""
    stub = (stubs / exercise.filename).read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(stub)) or ""
    name = exercise.id.replace("_", "-")
    cells = [
        _cell("markdown", context(exercise, docstring), f"{name}-context"),
        _cell("code", SETUP.format(source=source, seconds=INSTALL_SECONDS), f"{name}-setup"),
    ]
    cells += [
        _cell("code", code, f"{name}-stub-{i}", [tag_of(exercise)])
        for i, code in enumerate(stub_cells(without_docstring(stub)), start=1)
    ]
    cells += [
        _cell("markdown", "## Check your work", f"{name}-check-title"),
        _cell("code", f'check("{exercise.id}")', f"{name}-check", [f"check:{exercise.id}"]),
    ]
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_notebooks(
    out: Path, source: str | None = None, stubs: Path = EXERCISES_DIR
) -> list[Path]:
    """Write every exercise's notebook into `out`, from the stubs in `stubs`; their paths."""
    source = default_source() if source is None else source
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for exercise in load_catalog():
        path = out / f"{exercise.filename[:-3]}.ipynb"
        text = json.dumps(notebook(exercise, source, stubs), indent=1, ensure_ascii=False) + "\n"
        atomic_write(path, text)
        written.append(path)
    return written


def run_notebooks(out: Path, source: str | None) -> None:
    """`grader notebooks`: write them and say where."""
    written = write_notebooks(out, source)
    first, last = written[0].name, written[-1].name
    click.echo(f"wrote {len(written)} notebooks to {out}/ ({first} ... {last})")

"""Python source from a notebook: for each exercise, the code a notebook (an `.ipynb` handed in,
or the cells a kernel ran) holds for it, and notes on what was left out. Torch-free.

A notebook is hostile data: its size, its cells and each cell's text are bounded before any is
used, and its JSON is parsed by the standard library (no code runs). Cells tagged
`exercise:<id>` are taken whole, in order; an untagged notebook gives, for each exercise, the
definitions the spec names (the stub's functions and classes) with everything they use at the
top level (imports, helpers, constants), the last definition of a name winning, as in a kernel.
Cells with shell commands (`!`) or magics (`%`) are left out and named: they are not Python.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from grader.workbook.catalog import Exercise
from grader.workbook.gather import Found, Gathered
from grader.workbook.paths import EXERCISES_DIR, SOLUTIONS_DIR
from grader.workbook.stubs import public_api

MAX_NOTEBOOK_BYTES = 2 * 1024**2  # the same cap intake puts on any file it reads
MAX_CELLS = 2000
MAX_CELL_CHARS = 200_000
TAG_PREFIX = "exercise:"


class NotebookError(ValueError):
    """Not a notebook this module can read; the message says why."""


@dataclass(frozen=True)
class Cell:
    number: int  # 1-based, among all the notebook's cells (what a reader counts)
    source: str
    tags: tuple[str, ...] = ()


@dataclass
class Extracted:
    """The source per exercise id, and notes for the learner and the gradebook."""

    sources: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def tag_of(exercise: Exercise) -> str:
    return TAG_PREFIX + exercise.id


def _text(value: object, where: str) -> str:
    """A cell's source: a string or a list of strings (nbformat allows both)."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        text = "".join(value)
    else:
        raise NotebookError(f"{where}: its source is neither text nor a list of lines")
    if len(text) > MAX_CELL_CHARS:
        raise NotebookError(f"{where} is longer than {MAX_CELL_CHARS} characters")
    return text


def code_cells(data: bytes) -> list[Cell]:
    """The code cells of an .ipynb's bytes; NotebookError says what is wrong with it."""
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"larger than {MAX_NOTEBOOK_BYTES // 1024**2} MB")
    try:
        notebook = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise NotebookError(f"not a notebook (not JSON: {type(exc).__name__})") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise NotebookError("not a notebook (no list of cells)")
    if len(cells) > MAX_CELLS:
        raise NotebookError(f"more than {MAX_CELLS} cells")
    found = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        metadata = cell.get("metadata")
        tags = metadata.get("tags", []) if isinstance(metadata, dict) else []
        tags = tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else ()
        found.append(Cell(number, _text(cell.get("source", ""), f"cell {number}"), tags))
    return found


def left_out_reason(source: str) -> str | None:
    """Why a cell is not Python the grader can take: a shell command or a magic; None if it is
    (a cell that merely fails to parse is kept: the checks report its syntax error)."""
    try:
        ast.parse(source)
        return None
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("!"):
            return "a shell command"
        if stripped.startswith("%"):
            return "a magic"
    return None


def _snippet(source: str) -> str:
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return first[:40] + ("..." if len(first) > 40 else "")


def spec_names(exercise: Exercise) -> list[str]:
    """The top-level functions and classes the spec names for the exercise: the reference's
    where there is one (the learner may be editing exercises/), else the stub's; from a file
    that does not parse, its top-level `def` and `class` lines."""
    reference = SOLUTIONS_DIR / exercise.filename
    text = (reference if reference.is_file() else EXERCISES_DIR / exercise.filename).read_text(
        encoding="utf-8"
    )
    try:
        return [name for name in public_api(text) if "." not in name]
    except (SyntaxError, ValueError):
        return re.findall(r"^(?:def|class)\s+([A-Za-z]\w*)", text, re.M)


# -- the definitions a set of names needs ---------------------------------------------------------


def _bound_and_used(node: ast.stmt) -> tuple[set[str], set[str]]:
    """The top-level names a statement binds, and the names it reads that it does not bind."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}, set()
    bound: set[str] = set()
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        bound.add(node.name)
    loads, stores = set(), set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            (loads if isinstance(sub.ctx, ast.Load) else stores).add(sub.id)
        elif isinstance(sub, ast.arg):
            stores.add(sub.arg)
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stores.add(sub.name)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            stores |= {(a.asname or a.name).split(".")[0] for a in sub.names}
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        bound |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    elif isinstance(node, (ast.If, ast.Try, ast.With)):  # `try: import x except ...` and alike
        bound |= {
            n.name if isinstance(n, (ast.FunctionDef, ast.ClassDef)) else n.id
            for n in ast.walk(node)
            if isinstance(n, (ast.FunctionDef, ast.ClassDef))
            or (isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
        }
        bound |= {
            (a.asname or a.name).split(".")[0]
            for n in ast.walk(node)
            if isinstance(n, (ast.Import, ast.ImportFrom))
            for a in n.names
        }
    return bound, loads - stores - bound


def _segment(lines: list[str], node: ast.stmt) -> str:
    decorators = getattr(node, "decorator_list", [])
    start = min([node.lineno, *(d.lineno for d in decorators)])
    return "\n".join(lines[start - 1 : node.end_lineno])


def definitions(cells: list[str], names: list[str]) -> tuple[str, list[str]]:
    """Source defining `names` from `cells` (run in this order) with what they use, and which of
    `names` no cell defines. Cells that do not parse are skipped (the caller names them)."""
    statements: list[tuple[tuple[int, int], ast.stmt, list[str]]] = []
    for position, cell in enumerate(cells):
        try:
            tree = ast.parse(cell)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        lines = cell.splitlines()
        statements += [((position, i), node, lines) for i, node in enumerate(tree.body)]
    last: dict[str, int] = {}
    facts = []
    for index, (_, node, _) in enumerate(statements):
        bound, used = _bound_and_used(node)
        facts.append(used)
        for name in bound:
            last[name] = index
    chosen: set[int] = set()
    wanted = list(names)
    while wanted:
        name = wanted.pop()
        index = last.get(name)
        if index is not None and index not in chosen:
            chosen.add(index)
            wanted.extend(facts[index])
    future = {
        i
        for i, (_, node, _) in enumerate(statements)
        if isinstance(node, ast.ImportFrom) and node.module == "__future__"
    }
    if not chosen:
        return "", list(names)
    order = sorted(future) + sorted(chosen - future)
    source = "\n\n".join(_segment(statements[i][2], statements[i][1]) for i in order)
    return source + "\n", [n for n in names if n not in last]


# -- a notebook, per exercise ---------------------------------------------------------------------


def extract(data: bytes, exercises: list[Exercise], where: str) -> Extracted:
    """The source per exercise of the notebook `where` (its bytes `data`), with notes that name
    it and every cell left out. NotebookError when it cannot be read at all."""
    cells = code_cells(data)
    out = Extracted()
    kept: list[Cell] = []
    for cell in cells:
        reason = left_out_reason(cell.source)
        if reason:
            out.notes.append(
                f"{where}: cell {cell.number} left out ({reason}: {_snippet(cell.source)})"
            )
        else:
            kept.append(cell)
    tagged = any(t.startswith(TAG_PREFIX) for c in cells for t in c.tags)
    for exercise in exercises:
        if tagged:
            mine = [c.source for c in kept if tag_of(exercise) in c.tags]
            if mine:
                out.sources[exercise.id] = "\n\n".join(mine) + "\n"
            continue
        source, missing = definitions([c.source for c in kept], spec_names(exercise))
        if source and len(missing) < len(spec_names(exercise)):
            out.sources[exercise.id] = source
    how = "its tagged cells" if tagged else "the definitions the spec names"
    if out.sources:
        out.notes.insert(0, f"{where}: graded from {how} ({', '.join(out.sources)})")
    else:
        out.notes.insert(0, f"{where}: a notebook with no exercise's code in {how}")
    return out


def is_notebook(name: str) -> bool:
    return name.lower().endswith(".ipynb")


def expand_notebooks(gathered: Gathered, exercises: list[Exercise]) -> list[Found]:
    """Intake's files with each notebook replaced by one file per exercise it holds, named as if
    the notebook were a folder (`work.ipynb/NN_<id>.py`: a .py beside it wins, being
    shallower); what was graded from it and what was left out go to `gathered.problems`, which
    intake's note says."""
    files = []
    for found in gathered.found:
        if not is_notebook(PurePosixPath(found.path).name):
            files.append(found)
            continue
        try:
            extracted = extract(found.data, exercises, found.path)
        except NotebookError as exc:
            gathered.problems.append(f"{found.path}: {exc}, not graded")
            continue
        gathered.problems.extend(extracted.notes)
        for exercise in exercises:
            if exercise.id in extracted.sources:
                source = extracted.sources[exercise.id].encode("utf-8", "surrogatepass")
                files.append(Found(f"{found.path}/{exercise.filename}", found.mtime, source))
    return files

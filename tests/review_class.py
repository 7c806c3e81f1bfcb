"""A class for the review's tests and bench/similarity.py: each student's exercise files drawn from
the references, the corpus's variants (wrong and correct), solutions written independently
(tests/review_data/independent_*), the stubs, and copies of a classmate's file with its local
variables renamed. `origin` records where each file came from, so a pair's expected verdict is
known: copies should be found, independent solutions not."""

from __future__ import annotations

import ast
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.workbook.catalog import load_catalog
from grader.workbook.paths import SOLUTIONS_DIR
from tests.corpus import CORRECT, WRONG
from tests.helpers import stub_text

INDEPENDENT = Path(__file__).with_name("review_data")
EXERCISES = list(load_catalog())


def renamed(source: str, salt: str = "my") -> str:
    """`source` with its top-level functions in reverse order, every local variable renamed
    (`out` -> `my_out`), and a comment added: what a student does to a classmate's file to make
    it look like theirs."""
    source = _reversed_functions(source)
    tree = ast.parse(source)
    names: set[str] = set()
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.id)
    for name in sorted(names):
        source = re.sub(rf"(?<![.\w]){re.escape(name)}\b", f"{salt}_{name}", source)
    return f"# {salt}'s own work\n" + source


def _reversed_functions(source: str) -> str:
    lines = source.splitlines(keepends=True)
    blocks = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            blocks.append((first - 1, node.end_lineno))
    if len(blocks) < 2:
        return source
    head, tail = lines[: blocks[0][0]], lines[blocks[-1][1] :]
    bodies = ["".join(lines[a:b]).rstrip() + "\n\n\n" for a, b in reversed(blocks)]
    inside = {i for a, b in blocks for i in range(a, b)}
    between = range(blocks[0][0], blocks[-1][1])
    if any(lines[i].strip() for i in between if i not in inside):  # code between functions
        return source
    return "".join(head) + "".join(bodies).rstrip() + "\n" + "".join(tail)


def variant_source(exercise_id: str, edits: tuple[tuple[str, str], ...]) -> str:
    exercise = next(e for e in EXERCISES if e.id == exercise_id)
    source = (SOLUTIONS_DIR / exercise.filename).read_text()
    for old, new in edits:
        source = source.replace(old, new)
    return source


@dataclass
class ReviewClass:
    files: dict[str, dict[str, str]] = field(default_factory=dict)  # student -> filename -> text
    origin: dict[tuple[str, str], str] = field(default_factory=dict)  # (student, file) -> source

    def write(self, batch: Path) -> Path:
        for student, files in self.files.items():
            for name, text in files.items():
                (batch / student).mkdir(parents=True, exist_ok=True)
                (batch / student / name).write_text(text)
        return batch


def make_class(size: int, seed: int = 0) -> ReviewClass:
    """`size` students; about one file in six a renamed copy of an earlier student's."""
    rng = random.Random(seed)
    made = ReviewClass()
    for number in range(size):
        student = f"s{number:03d}"
        made.files[student] = {}
        for exercise in EXERCISES:
            name = exercise.filename
            independent = [
                p for p in sorted(INDEPENDENT.glob(f"independent_*/{name}")) if p.is_file()
            ]
            variants = [v for v in WRONG + CORRECT if v.exercise == exercise.id]
            earlier = [s for s in made.files if s != student and name in made.files[s]]
            roll = rng.random()
            if roll < 0.15 and earlier:
                source = rng.choice(earlier)
                text = renamed(made.files[source][name], f"v{number}")
                origin = f"copy of {source}"
            elif roll < 0.25:
                text, origin = stub_text(name), "stub"
            elif roll < 0.45 and independent:
                path = rng.choice(independent)
                text, origin = path.read_text(), path.parent.name
            elif roll < 0.55:
                text, origin = (SOLUTIONS_DIR / name).read_text(), "reference"
            else:
                variant = rng.choice(variants)
                text, origin = variant_source(exercise.id, variant.edits), "reference"
            if origin != "stub":  # each student's file is their own text, as in a real class
                text = f"# {student}\n{text}"
            made.files[student][name] = text
            made.origin[(student, name)] = origin
    return made


def root_of(made: ReviewClass, student: str, name: str) -> str:
    """Where a file came from, following copies back to their first source."""
    origin = made.origin[(student, name)]
    while origin.startswith("copy of "):
        student = origin.removeprefix("copy of ")
        origin = made.origin[(student, name)]
    return origin

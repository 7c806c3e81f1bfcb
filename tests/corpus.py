"""The corpus: wrong submissions (one mistake each) and correct-but-different ones, each written
as before/after blocks of the reference solution's lines, in each exercise's folder
(`checks/NN_<id>/corpus.txt`), read here in the catalog's order.

Each entry is the reference solution with whole lines replaced: every `--- before` block is found
in the reference (in order), and each of its occurrences is replaced by the `+++ after` block that
follows it; an empty `+++ after` block deletes the lines. For a wrong variant, `check:` must fail
and each of `words:` (separated by ' | ') must be in its message; no word of `not:` (a diagnosis
that would be wrong there) may be in the message of any failed check. A comment belongs at the
top of a file: below, a line that is not a marker joins the block above.

Being edits of the references, the corpus stays in step with them: if a reference changes, a
`before` block is no longer found and the test says so. `words` must appear in the failing
message: the check has to *name* the mistake, not just notice it.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.workbook.catalog import load_catalog
from grader.workbook.exercise_folder import CORPUS

_MARKERS = ("## ", "--- before", "+++ after")


@dataclass(frozen=True)
class Variant:
    exercise: str
    name: str
    edits: tuple[tuple[str, str], ...]
    words: tuple[str, ...] = ()  # for wrong variants: words the feedback must contain
    check: str = ""  # for wrong variants: a check (name prefix) that must fail
    absent: tuple[str, ...] = ()  # words its feedback must not contain (a wrong diagnosis)


def _block(lines: list[str], start: int) -> tuple[str, int]:
    """The lines from `start` up to the next marker, without the blank lines that end it."""
    end = start
    while end < len(lines) and not lines[end].startswith(_MARKERS):
        end += 1
    body = lines[start:end]
    while body and not body[-1].strip():
        body.pop()
    return "\n".join(body), end


def parse(text: str, exercise_id: str | None = None) -> tuple[list[Variant], list[Variant]]:
    """The wrong and the correct variants of a corpus file (of `exercise_id`'s folder: each entry
    must name that exercise)."""
    lines = text.splitlines()
    found: dict[str, list[Variant]] = {"wrong": [], "correct": []}
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.startswith("## "):
            continue
        kind, exercise, name = line[3:].split()
        if exercise_id is not None and exercise != exercise_id:
            raise ValueError(f"{name}: names exercise {exercise}, in the corpus of {exercise_id}")
        fields: dict[str, str] = {}
        while index < len(lines) and not lines[index].startswith(_MARKERS):
            key, _, value = lines[index].partition(":")
            if value:
                fields[key.strip()] = value.strip()
            index += 1
        edits = []
        while index < len(lines) and lines[index] == "--- before":
            before, index = _block(lines, index + 1)
            if index >= len(lines) or lines[index] != "+++ after":
                raise ValueError(f"{name}: a `--- before` block without its `+++ after`")
            after, index = _block(lines, index + 1)
            # an empty `after` deletes the lines, their line breaks included
            edits.append((before + "\n", "") if not after else (before, after))
        if not edits:
            raise ValueError(f"{name}: no `--- before` / `+++ after` blocks")
        words = tuple(w.strip() for w in fields.get("words", "").split(" | ") if w.strip())
        absent = tuple(w.strip() for w in fields.get("not", "").split(" | ") if w.strip())
        found[kind].append(
            Variant(exercise, name, tuple(edits), words, fields.get("check", ""), absent)
        )
    return found["wrong"], found["correct"]


def load() -> tuple[list[Variant], list[Variant]]:
    """Every exercise's wrong and correct variants, in the catalog's order."""
    wrong: list[Variant] = []
    correct: list[Variant] = []
    for exercise in load_catalog():
        path = exercise.folder / CORPUS
        if path.is_file():
            more_wrong, more_correct = parse(path.read_text(encoding="utf-8"), exercise.id)
            wrong += more_wrong
            correct += more_correct
    return wrong, correct


WRONG, CORRECT = load()

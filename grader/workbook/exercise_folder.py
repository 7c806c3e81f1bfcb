"""What an exercise's folder `checks/NN_<id>/` holds, and which of it goes where. The folder is
found from the catalog (workbook.toml): nothing in grader/ names an exercise.

    check_NN_<id>*.py  the checks (pytest collects check_*.py; the names must differ across
                       folders, so each starts with check_NN_<id>)
    driver.py          optional: run in the worker beside the student's module, and in the grader
                       for the inputs it builds; holds no expected value
    inputs.py          optional: the inputs the checks send, constants, independent measures
    oracle.py          optional: what correct code (and each classic mistake) gives; never in the
                       worker, never in a learner's handout
    rules.py           optional, torch-free: ADVICE, {error rule name: what to check in this
                       exercise}, read by grader/checking/exercise_rules.py
    corpus.txt         the learners' mistakes and alternative answers (tests/corpus.py)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from grader.workbook.catalog import Exercise, exercise_by_id, load_catalog
from grader.workbook.paths import CHECKS_DIR, EXPECTED_DIR

DRIVER, INPUTS, ORACLE, RULES, CORPUS = (
    "driver.py",
    "inputs.py",
    "oracle.py",
    "rules.py",
    "corpus.txt",
)
CHECKS = "check_*.py"
# What a learner's handout carries of each folder (the oracle and the corpus hold answers), and
# what a Gradescope bundle carries (it grades: the oracle too)
HANDOUT_PARTS = (CHECKS, DRIVER, INPUTS, RULES)
GRADING_PARTS = (*HANDOUT_PARTS, ORACLE)
KNOWN = {DRIVER, INPUTS, ORACLE, RULES, CORPUS}
_FOLDER = re.compile(r"^(\d\d)_([a-z][a-z0-9_]*)$")


def part(exercise: Exercise, name: str) -> Path | None:
    """The folder's `name` (DRIVER, INPUTS, ...) when the exercise has one."""
    path = exercise.folder / name
    return path if path.is_file() else None


def takes_fixture(exercise: Exercise, fixture: str) -> bool:
    """Whether a check (or a fixture) of the exercise takes `fixture` as a parameter: read from
    the check files' syntax, without running them."""
    for path in exercise.check_files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.FunctionDef) and fixture in {a.arg for a in node.args.args}:
                return True
    return False


def exercise_in(path: Path) -> Exercise | None:
    """The exercise whose folder holds `path` (a check file, or the folder itself); None outside
    checks/. KeyError names a folder the catalog does not list."""
    try:
        relative = path.resolve().relative_to(CHECKS_DIR)
    except ValueError:
        return None
    match = _FOLDER.match(relative.parts[0]) if relative.parts else None
    if match is None:
        return None
    exercise = exercise_by_id(match.group(2))
    if exercise.number != int(match.group(1)):
        raise KeyError(
            f"checks/{relative.parts[0]}: exercise {exercise.id} is number "
            f"{exercise.number} in workbook.toml"
        )
    return exercise


def folder_problems() -> list[str]:
    """What an author has left out or misplaced: a catalog entry without its folder or checks,
    a check file pytest would confuse with another's, a file of no known kind, a folder the
    catalog does not list."""
    problems = []
    for exercise in load_catalog():
        where = f"{exercise.id}: checks/{exercise.folder.name}/"
        if not exercise.folder.is_dir():
            problems.append(f"{where} is missing (make it, with a check_{exercise.folder.name}.py)")
            continue
        if not exercise.check_files:
            problems.append(f"{where} has no check file check_{exercise.folder.name}.py")
        for path in sorted(exercise.folder.iterdir()):
            if path.name.startswith((".", "__")):
                continue
            if path.match(CHECKS) and not path.name.startswith(f"check_{exercise.folder.name}"):
                problems.append(
                    f"{where}{path.name}: a check file's name starts with "
                    f"check_{exercise.folder.name} (pytest needs them to differ across folders)"
                )
            elif not path.match(CHECKS) and path.name not in KNOWN:
                problems.append(
                    f"{where}{path.name} is none of {', '.join(sorted(KNOWN))} or check_*.py: "
                    "nothing loads it, and no handout or bundle carries it"
                )
    listed = {e.folder.name for e in load_catalog()}
    for path in sorted(CHECKS_DIR.iterdir()) if CHECKS_DIR.is_dir() else []:
        if path.name.startswith((".", "__")) or path.name in listed or path == EXPECTED_DIR:
            continue
        left = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else []
        if path.is_dir() and not (left and all(p.suffix == ".pyc" for p in left)):  # bytecode only:
            # what an old layout leaves behind after `git pull`
            problems.append(
                f"checks/{path.name}/ is no exercise of workbook.toml (add its [[exercise]] "
                "entry, or remove the folder; its number and id must match the entry's)"
            )
    return problems

"""`grader export student DIR`: the repository an instructor hands out, which holds no answers.

It holds the stubs (exercises/, each verified to be a stub), the checks, their drivers and inputs,
the grader, workbook.toml (every hint tier: a learner asks for them one at a time), a README and
pyproject for learners, and checks/expected/<id>.pt: what the references (and each corpus
mistake) give on the checks' public inputs, recorded by running the checks in public mode against
solutions/ and against the wrong and alternative variants of the corpus. It holds no solutions/,
no exercise's oracle.py (what correct code gives) or corpus.txt (edits of the references), no
tests/ or bench/ (built from the references), and no grading key: graded runs stay on the
instructor's side.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import click

from grader.workbook.catalog import Exercise, load_catalog
from grader.workbook.exercise_folder import HANDOUT_PARTS, takes_fixture
from grader.workbook.files import load_file
from grader.workbook.paths import EXERCISES_DIR, PROJECT_ROOT, SOLUTIONS_DIR, is_handout
from grader.workbook.stubs import stub_problems

SHIPPED = [  # globs under the project root; nothing else of it is copied
    "grader/**/*.py",
    *(f"checks/*/{part}" for part in HANDOUT_PARTS),  # each exercise's folder, but its answers
    "workbook.toml",
    "docs/spec.md",
    ".gitignore",
]
CORPUS = PROJECT_ROOT / "tests" / "corpus.py"

README = """\
# The CNN workbook

<COUNT> graded exercises that turn the tutorial *PyTorch CNN explained from scratch* into code you
write, and a grader that tells you what is right and what is not.

## Start here

1. Set up once (a few minutes; the CPU build of torch is enough):
   `python3 -m venv .venv && .venv/bin/pip install -e .`, then `source .venv/bin/activate`.
2. Open `exercises/<FIRST_FILE>` beside the tutorial's section <FIRST_SECTION> (each exercise's
   docstring names its section; `grader list` shows them all, in order, with your points).
3. Fill in a stub and run `grader check <FIRST_ID>`: each failed check says what is wrong and,
   when it can tell, the mistake ("the kernel is flipped"), with the values side by side
   (`--html` also draws them on one page).
4. Stuck? `grader hint <FIRST_ID>` gives the next hint (the last tier nearly the
   answer). `grader watch` re-checks the file you are editing every time you save it.
5. Move on to `<SECOND>` ... `<LAST>`; `grader check` with no id
   checks them all (`pytest` does too).

Rather work in Jupyter or Colab? `notebooks/` holds the same exercises as notebooks: fill in the
cells tagged `exercise:<id>` and run `check("<FIRST_ID>")` in the notebook.

## This copy

Your instructor made it with `grader export student`. It holds no reference solutions: the
checks compare your answers with values recorded for their public inputs (`checks/expected/`),
with independent measures (`F.conv2d`, counts, an accuracy on freshly drawn digits)
where there are any. A value that was not recorded is reported as "not available in this
handout", never guessed. Your marks come from your instructor's grading, with inputs of its own.
"""


class HandoutError(click.ClickException):
    """The handout cannot be made (a stub that is not one, a folder in the way)."""


def stub_errors(stubs: Path) -> list[str]:
    """Why the files in `stubs` are not the pristine stubs of every exercise (empty: they are)."""
    problems = []
    for exercise in load_catalog():
        stub = stubs / exercise.filename
        if not stub.is_file():
            problems.append(f"{stub}: missing")
            continue
        # what could hand out an answer (selfcheck also asks for docstrings and TODO marks)
        found = stub_problems(stub, SOLUTIONS_DIR / exercise.filename, wording=False)
        problems += [f"{stubs}/{p}" for p in found]
    return problems


def _copy_project(out: Path, stubs: Path) -> None:
    for pattern in SHIPPED:
        for path in sorted(PROJECT_ROOT.glob(pattern)):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            target = out / path.relative_to(PROJECT_ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    (out / "exercises").mkdir()
    for exercise in load_catalog():
        shutil.copyfile(stubs / exercise.filename, out / "exercises" / exercise.filename)
    from grader.commands.notebooks import write_notebooks

    # the same stubs as notebooks; their set-up cell asks for the class's copy (not known here)
    write_notebooks(out / "notebooks", source="", stubs=stubs)
    pyproject = (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    # `pytest` in the handout runs the checks on exercises/: it has no tests/
    pyproject = pyproject.replace('testpaths = ["tests"]', 'testpaths = ["checks"]')
    (out / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (out / "README.md").write_text(_readme(), encoding="utf-8")


def _readme() -> str:
    """The learners' README, with the catalog's exercises (however many) in its words."""
    catalog = load_catalog()
    first, second, last = catalog[0], catalog[min(1, len(catalog) - 1)], catalog[-1]
    section = first.section.split(";")[0].split(" ")[0]  # "1.2.2 Convolution ..." -> "1.2.2"
    readme = README
    for mark, value in (
        ("<COUNT>", str(len(catalog))),
        ("<FIRST_FILE>", first.filename),
        ("<FIRST_SECTION>", section),
        ("<FIRST_ID>", first.id),
        ("<SECOND>", second.filename),
        ("<LAST>", last.filename),
    ):
        readme = readme.replace(mark, value)
    return readme


def _variant_folders(folder: Path, sample: set[str] | None) -> list[tuple[Path, list[Exercise]]]:
    """The corpus's variants written as submissions: folder i holds the i-th variant of every
    exercise that has one, so that one run of the checks records them all. `sample` (names
    "exercise/variant") keeps only those (the tests' quicker handout)."""
    corpus = load_file("handout_corpus", CORPUS)
    recorded = {e.id for e in _recorded()}
    by_exercise: dict[str, list] = {}
    for variant in [*corpus.WRONG, *corpus.CORRECT]:
        chosen = sample is None or f"{variant.exercise}/{variant.name}" in sample
        if chosen and variant.exercise in recorded:
            by_exercise.setdefault(variant.exercise, []).append(variant)
    catalog = {e.id: e for e in load_catalog()}
    runs = []
    for index in range(max((len(v) for v in by_exercise.values()), default=0)):
        submission, exercises = folder / f"variant_{index:02d}", []
        submission.mkdir()
        for exercise_id, variants in by_exercise.items():
            if index >= len(variants):
                continue
            exercise = catalog[exercise_id]
            source = (SOLUTIONS_DIR / exercise.filename).read_text(encoding="utf-8")
            for old, new in variants[index].edits:
                source = source.replace(old, new)
            (submission / exercise.filename).write_text(source, encoding="utf-8")
            exercises.append(exercise)
        runs.append((submission, sorted(exercises, key=lambda e: e.number)))
    return runs


def _recorded() -> list[Exercise]:
    """The exercises whose checks take the `expected` fixture: the others have no value to
    record (08 measures accuracy on the digits' own labels), and would run for nothing."""
    return [e for e in load_catalog() if takes_fixture(e, "expected")]


def record_expected(target: Path, corpus: bool = True, sample: set[str] | None = None) -> int:
    """Run the checks in public mode on the references (and the corpus's variants), recording
    every expected value into `target`/<id>.pt; the number of runs."""
    from grader.checking.runner import RunnerError, run_checks

    recorded = _recorded()
    args = [f"--expected-record={target}"]
    with tempfile.TemporaryDirectory(prefix="grader-handout-") as folder:
        runs = [(SOLUTIONS_DIR, recorded)]
        if corpus:
            runs += _variant_folders(Path(folder), sample)
        for number, (submission, exercises) in enumerate(runs, 1):
            click.echo(f"recording expected values: run {number} of {len(runs)}", err=True)
            try:
                run_checks(submission=submission, exercises=exercises, pytest_args=args)
            except RunnerError as exc:
                raise HandoutError(f"the checks could not run: {exc}") from None
    return len(runs)


def build_handout(
    out: Path, stubs: Path = EXERCISES_DIR, corpus: bool = True, sample: set[str] | None = None
) -> dict:
    """Write the handout to `out` (new or empty); what was done, for the command's summary.
    `corpus` False records the references' values only; `sample` some of the corpus's."""
    if is_handout():
        raise HandoutError("this copy is a handout already: export from the full project")
    problems = stub_errors(stubs)
    if problems:
        raise HandoutError(
            "exercises/ must hold the pristine stubs (each public function's body raises "
            "NotImplementedError); not so:\n  " + "\n  ".join(problems)
        )
    if corpus and not CORPUS.is_file():
        raise HandoutError(f"{CORPUS} is missing: it gives the mistakes whose values to record")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise HandoutError(f"{out} exists and is not an empty folder")
    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    _copy_project(out, stubs)
    runs = record_expected(out / "checks" / "expected", corpus, sample)
    files = [p for p in out.rglob("*") if p.is_file()]
    return {
        "seconds": time.monotonic() - started,
        "runs": runs,
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
    }


def run_export_student(out: Path, stubs: Path, classroom: bool) -> None:
    """`grader export student DIR [--github-classroom]`."""
    done = build_handout(out, stubs)
    click.echo(
        f"wrote {out}: {done['files']} files, {done['bytes'] / 1e6:.1f} MB, expected values "
        f"from {done['runs']} runs of the checks in {done['seconds']:.0f} s; no solutions/, "
        "no oracles, no grading key"
    )
    if classroom:
        from grader.exports.classroom.workflow import write_workflow

        path = write_workflow(out)
        click.echo(f"wrote {path}: the handout is a GitHub Classroom template repository")

"""A real 116-entry class graded end to end by `grader grade`, to try report.html as an instructor
would: which mistakes were most common in each exercise, who did not attempt exercise 05, which
pairs look copied. Not a test: it took 789 s, 767 s and 800 s with `--workers 2` on 2026-11-27, on a
machine shared with other jobs (load average 8 to 11 on its 2 cores). It prints what the class
holds (the answers the report should give), the time grading took, and the report's answers as
Chromium renders them.

The class: references (each student's own header line), the corpus's wrong variants (popular ones
more often), its correct variants, stubs made from the references (grader/workbook/stubs.py;
exercises/ is not read), missing files, syntax errors, an error at import, a corrupt zip, an
empty folder, renamed copies of a classmate's file written apart from the reference
(tests/review_data), and files that reach for the grader (ctypes, `sys._getframe`).

    python bench/class116.py [--out DIR] [--workers 2] [--read-only]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.workbook.catalog import load_catalog  # noqa: E402
from grader.workbook.paths import SOLUTIONS_DIR  # noqa: E402
from grader.workbook.stubs import stub_from_reference  # noqa: E402
from tests.corpus import CORRECT, WRONG  # noqa: E402
from tests.review_class import INDEPENDENT, renamed  # noqa: E402

GRADER = str(Path(sys.executable).with_name("grader"))
EXERCISES = list(load_catalog())
BY_ID = {e.id: e for e in EXERCISES}
FIRST = "Ada Alan Bea Carl Dana Emil Fay Gus Hana Ivo Jun Kai Lea Max Nia Omar Pia Raj Sol Tove"
LAST = "Berg Chen Diaz Eko Fox Gray Hale Ito Juhl Kova Lind Moe Nash Ortiz Park Quist"


def _variant(exercise_id: str, edits) -> str:
    text = (SOLUTIONS_DIR / BY_ID[exercise_id].filename).read_text()
    for old, new in edits:
        assert old in text, "the reference changed under the corpus"
        text = text.replace(old, new)
    return text


def names(count: int) -> list[str]:
    first, last = FIRST.split(), LAST.split()
    every = [f"{a} {b}" for a in first for b in last]
    found = random.Random(count).sample(every, count - 2)
    return sorted({*found, "Élodie O'Brien", "Zoë <b>Kim"})


def make_class(batch: Path, size: int = 116, seed: int = 116) -> dict:
    """Write the class; return what it holds: per exercise, who has which corpus mistake; who
    did not attempt 05; the copied pairs; the broken entries."""
    import zipfile

    rng = random.Random(seed)
    students = names(size)
    assert len(students) == size
    refs = {e.id: (SOLUTIONS_DIR / e.filename).read_text() for e in EXERCISES}
    stubs = {e.id: stub_from_reference(refs[e.id]) for e in EXERCISES}
    files: dict[str, dict[str, str]] = {}
    made: dict[tuple[str, str], tuple[str, str]] = {}  # (student, exercise) -> (variant, text)
    truth: dict = {"mistakes": {}, "absent_05": [], "copies": [], "broken": {}, "reaching": []}
    for index, student in enumerate(students):
        mine = {e.id: f"# {student}'s work\n{refs[e.id]}" for e in EXERCISES}
        roll = rng.random()
        if roll < 0.55:  # one or two mistakes; the first variants of an exercise more often
            for exercise in rng.sample([e.id for e in EXERCISES], rng.choice((1, 1, 2))):
                variants = [v for v in WRONG if v.exercise == exercise]
                weights = [1 / (1 + i) ** 1.3 for i in range(len(variants))]
                variant = rng.choices(variants, weights)[0]
                mine[exercise] = f"# {student}'s work\n{_variant(exercise, variant.edits)}"
                made[(student, exercise)] = (variant.name, mine[exercise])
        elif roll < 0.7:
            variant = rng.choice(CORRECT)
            mine[variant.exercise] = f"# {student}\n{_variant(variant.exercise, variant.edits)}"
        if index % 8 == 3:  # did not start 05 (and, for some, nothing after it)
            mine["training_step"] = stubs["training_step"]
            if index % 16 == 3:
                mine.update({e: stubs[e] for e in ("data", "evaluate", "train_digits")})
        if index % 29 == 5:
            del mine["training_step"]  # the file is not there at all
        files[student] = mine
    pick = iter(rng.sample(students, 30))
    # renamed copies of a classmate's file, a solution written apart from the reference (a copy
    # of a reference-like file would be one more of the crowd alike to the reference)
    for exercise, own in (
        ("edge_filter", "a"),
        ("simple_cnn", "b"),
        ("training_step", "a"),
        ("evaluate", "b"),
    ):
        source, copier = next(pick), next(pick)
        text = (INDEPENDENT / f"independent_{own}" / BY_ID[exercise].filename).read_text()
        files[source][exercise] = f"# {source}\n{text}"
        files[copier][exercise] = renamed(files[source][exercise], "mine")
        truth["copies"].append((source, copier, exercise))
    for student in (next(pick), next(pick), next(pick)):
        files[student]["simple_cnn"] = "import torch\n\ndef broken(:\n    pass\n"
        truth["broken"][student] = "syntax error in 03"
    student = next(pick)
    files[student]["layer_tweaks"] = "import torch\nraise RuntimeError('half done')\n"
    truth["broken"][student] = "error at import in 04"
    student = next(pick)
    files[student]["edge_filter"] += (
        "\n\ndef _peek():\n    import ctypes\n\n    return ctypes.CDLL(None)\n"
    )
    truth["reaching"].append(student)
    student = next(pick)
    files[student]["data"] = (
        files[student]["data"]
        + "\n\ndef _who():\n    import sys\n"
        + ("    return sys._getframe(1).f_globals\n")
    )
    truth["reaching"].append(student)
    corrupt, empty = next(pick), next(pick)
    batch.mkdir(parents=True, exist_ok=True)
    for student, mine in files.items():
        if student == empty:
            (batch / student).mkdir(parents=True)
            continue
        if student == corrupt:
            (batch / f"{student}.zip").write_bytes(b"PK\x03\x04 not really a zip")
            continue
        if students.index(student) % 5 == 0:  # a fifth hand in a zip
            with zipfile.ZipFile(batch / f"{student}.zip", "w") as zipped:
                for exercise, text in mine.items():
                    zipped.writestr(f"work/{BY_ID[exercise].filename}", text)
            continue
        for exercise, text in mine.items():
            path = batch / student / BY_ID[exercise].filename
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    for (student, exercise), (variant, text) in made.items():  # unless overwritten since
        if files[student].get(exercise, "").startswith(text) and student not in (corrupt, empty):
            truth["mistakes"].setdefault(exercise, {}).setdefault(variant, []).append(student)
    truth["broken"][corrupt] = "corrupt zip"
    truth["broken"][empty] = "empty folder"
    truth["absent_05"] = sorted(
        s
        for s, mine in files.items()
        if s not in (corrupt, empty) and mine.get("training_step") in (None, stubs["training_step"])
    )
    truth["unreadable"] = sorted((corrupt, empty))
    return truth


def read_report(out: Path, truth: dict) -> bool:
    """The report's three answers as Chromium renders them, beside what the class holds; a
    screenshot of the whole page beside report.html. True when the answers are right."""
    from tests.chromium import ANSWERS, browse, run_harness

    with tempfile.TemporaryDirectory() as profile:
        seen = run_harness(out / "report.html", Path(profile), ANSWERS, "--window-size=1280,1000")
        shot = out / "report-full.png"
        browse(
            out / "report.html",
            Path(profile),
            "--hide-scrollbars",
            f"--window-size=1280,{min(seen['height'] + 20, 16_000)}",
            f"--screenshot={shot}",
        )
    (out / "report-harness.html").unlink(missing_ok=True)
    print(f"the report, read in Chromium (screenshot: {shot}):")
    for exercise, mistake, count in seen["top"]:
        found = truth["mistakes"].get(exercise, {})
        made = max(found.items(), key=lambda item: len(item[1]), default=("none", []))
        print(f"  {exercise}: {count} x {mistake[:70]!r} (the class: {made[0]} x {len(made[1])})")
    absent = {name for name, _ in seen["absent"]}
    expected = set(truth["absent_05"]) | set(truth["unreadable"])
    pairs = {frozenset(row[1:3]) for row in seen["pairs"]}
    copies = {frozenset(c[:2]) for c in truth["copies"]}
    print(f"  did not attempt 05: {len(absent)} listed, as expected: {absent == expected}")
    print(f"  pairs listed: {len(pairs)}, the copies exactly: {pairs == copies}; groups: ")
    for file, students, count in seen["groups"]:
        print(f"    {file}: {students} students alike, {count} pairs")
    return absent == expected and pairs == copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="where the class and its grades go (kept)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--read-only", action="store_true", help="read the report in --out again")
    args = parser.parse_args()
    root = args.out or Path(tempfile.mkdtemp(prefix="class116-"))
    batch, out = root / "batch", root / "out"
    if args.read_only:
        read_report(out, json.loads((root / "truth.json").read_text()))
        return
    batch.mkdir(parents=True)
    truth = make_class(batch)
    (root / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False))
    started = time.monotonic()
    done = subprocess.run(
        [GRADER, "grade", str(batch), "--out", str(out), "--workers", str(args.workers)],
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
    print(
        f"graded {len(list(batch.iterdir()))} entries in {seconds:.0f} s (exit {done.returncode})"
    )
    print(f"report: {out / 'report.html'}; what the class holds: {root / 'truth.json'}")
    for exercise, found in sorted(truth["mistakes"].items()):
        top = max(found.items(), key=lambda item: len(item[1]))
        print(f"  {exercise}: most common corpus mistake {top[0]} ({len(top[1])} students)")
    print(f"  did not attempt 05 ({len(truth['absent_05'])}): {', '.join(truth['absent_05'])}")
    print(f"  copies: {truth['copies']}")
    if not read_report(out, truth):
        raise SystemExit("the report's answers are not the class's")


if __name__ == "__main__":
    main()

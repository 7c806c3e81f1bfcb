"""The review's cost and its threshold, measured on a generated class (tests/review_class.py):

- the scores of file pairs by kind: renamed copies, independent solutions of one exercise
  (references against tests/review_data/independent_*, and those against each other), and
  files of the reference's family (the reference and the corpus's one-line variants of it);
- each evasion of tests/evasions.py against the reference it was made from, per exercise, and
  the independent solutions pair by pair (`--evasions`: only these, no class);
- the seconds `build_review` (the scan and similarity, pages included) takes for --size
  submissions, next to `grader grade --no-review` on --grade-sample of them (scaled up).

    python bench/similarity.py [--size 200] [--grade-sample 20] [--workers 2] [--evasions]
"""

from __future__ import annotations

import argparse
import itertools
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.review.build import DEFAULT_THRESHOLD, build_review  # noqa: E402
from grader.review.normalise import defined_names  # noqa: E402
from grader.review.similarity import similar_pairs  # noqa: E402
from grader.workbook.catalog import load_catalog  # noqa: E402
from grader.workbook.intake import discover  # noqa: E402
from grader.workbook.paths import EXERCISES_DIR, SOLUTIONS_DIR  # noqa: E402
from grader.workbook.results import BatchRecord, SubmissionResult  # noqa: E402
from tests.evasions import EVASIONS, evade  # noqa: E402
from tests.review_class import INDEPENDENT, make_class, root_of  # noqa: E402

EXERCISES = list(load_catalog())
STARTERS = {e.id: (EXERCISES_DIR / e.filename).read_text() for e in EXERCISES}
NAMES = {e.id: e.filename for e in EXERCISES}


def file_score(exercise_id: str, a: str, b: str) -> float:
    """One file pair's score (0 when either file is too small to compare)."""
    found = similar_pairs({"a": {exercise_id: a}, "b": {exercise_id: b}}, STARTERS, NAMES, 0.0)
    return found.pairs[0].score if found.pairs else 0.0


def summary(scores: list[float]) -> str:
    if not scores:
        return "none"
    ordered = sorted(scores)
    return (
        f"n={len(scores):4d} min {ordered[0]:.2f} median {statistics.median(ordered):.2f} "
        f"max {ordered[-1]:.2f}"
    )


def score_kinds(made, sample: int, rng: random.Random) -> dict[str, list[float]]:
    kinds: dict[str, list[float]] = {"renamed copy": [], "independent": [], "reference family": []}
    by_id = {e.filename: e.id for e in EXERCISES}
    labelled = []
    for (student, name), origin in made.origin.items():
        if origin.startswith("copy of ") and root_of(made, student, name) != "stub":
            labelled.append(("renamed copy", student, origin.removeprefix("copy of "), name))
    for a, b in itertools.combinations(sorted(made.files), 2):
        for name in made.files[a]:
            roots = {root_of(made, a, name), root_of(made, b, name)}
            direct = any(made.origin[(s, name)].startswith("copy") for s in (a, b))
            if "stub" in roots or direct:
                continue
            kind = "independent" if len(roots) == 2 else None
            if roots == {"reference"}:
                kind = "reference family"
            if kind:
                labelled.append((kind, a, b, name))
    rng.shuffle(labelled)
    counts = dict.fromkeys(kinds, 0)
    for kind, a, b, name in labelled:
        if counts[kind] >= sample:
            continue
        counts[kind] += 1
        kinds[kind].append(file_score(by_id[name], made.files[a][name], made.files[b][name]))
    return kinds


def evasion_table() -> None:
    """Each evasion's score against its reference, and the independent pairs', per exercise."""
    width = 10  # names cut to fit
    print("evasions (copy of the reference):")
    print(f"  {'exercise':18s} " + " ".join(f"{k[:width]:>{width}s}" for k in EVASIONS))
    for exercise in EXERCISES:
        reference = (SOLUTIONS_DIR / exercise.filename).read_text()
        api = defined_names(STARTERS[exercise.id])
        row = [file_score(exercise.id, reference, evade(reference, k, api)) for k in EVASIONS]
        print(f"  {exercise.id:18s} " + " ".join(f"{v:>{width}.2f}" for v in row))
    print(f"independent solutions (threshold {DEFAULT_THRESHOLD}):")
    for exercise in EXERCISES:
        authors = {"reference": (SOLUTIONS_DIR / exercise.filename).read_text()}
        for folder in sorted(INDEPENDENT.glob("independent_*")):
            if (folder / exercise.filename).is_file():
                authors[folder.name.removeprefix("independent_")] = (
                    folder / exercise.filename
                ).read_text()
        scores = [
            f"{a}-{b} {file_score(exercise.id, authors[a], authors[b]):.2f}"
            for a, b in itertools.combinations(authors, 2)
        ]
        if scores:
            print(f"  {exercise.id:18s} " + ", ".join(scores))


def grade_seconds(batch: Path, out: Path, workers: int) -> float:
    grader = str(Path(sys.executable).with_name("grader"))
    started = time.monotonic()
    done = subprocess.run(
        [grader, "grade", str(batch), "--out", str(out), "--workers", str(workers), "--no-review"],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--grade-sample", type=int, default=20, help="0: do not grade")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=300, help="file pairs scored per kind")
    parser.add_argument("--evasions", action="store_true", help="only the evasion table")
    args = parser.parse_args()
    evasion_table()
    if args.evasions:
        return
    rng = random.Random(1)
    made = make_class(args.size)
    with tempfile.TemporaryDirectory(prefix="bench-similarity-") as scratch:
        batch = made.write(Path(scratch) / "batch")
        entries = discover(batch)
        records = {
            e.student: BatchRecord(e.student, e.key, SubmissionResult({}), []) for e in entries
        }
        started, cpu = time.monotonic(), time.process_time()
        review = build_review(entries, records, EXERCISES, DEFAULT_THRESHOLD)
        seconds, cpu = time.monotonic() - started, time.process_time() - cpu
        similar = review.data["similarity"]
        print(
            f"review of {len(entries)} submissions: {seconds:.2f} s, {cpu:.2f} s of CPU (scan "
            f"{review.data['scan_seconds']:.2f} s, similarity {similar['seconds']:.2f} s; "
            f"{similar['file_pairs_compared']} file pairs compared, "
            f"{similar['pairs_over_threshold']} student pairs at or above {DEFAULT_THRESHOLD}, "
            f"{len(review.pages)} pages; {len(review.data['flags'])} flags)"
        )
        for kind, scores in score_kinds(made, args.pairs, rng).items():
            print(f"  {kind:18s} {summary(scores)}")
        if args.grade_sample:
            sample = Path(scratch) / "sample"
            sample.mkdir()
            for entry in entries[: args.grade_sample]:
                shutil.copytree(entry.path, sample / entry.path.name)
            graded = grade_seconds(sample, Path(scratch) / "out", args.workers)
            scaled = graded * len(entries) / args.grade_sample
            print(
                f"grader grade --no-review, {args.grade_sample} submissions, --workers "
                f"{args.workers}: {graded:.1f} s; scaled to {len(entries)}: {scaled:.0f} s; "
                f"the review is {seconds / scaled:.1%} of that"
            )


if __name__ == "__main__":
    main()

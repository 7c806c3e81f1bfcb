"""The workbook's speed, measured side by side in one run, against the obvious alternatives.

    python bench/run.py [--runs 5] [--students 40] [--parts edge,batch,ex08]

- edge:  `grader check edge_filter` on the reference vs `python -c "import torch"` (the floor).
- batch: a class of --students submissions of exercises 01-07 (references with the corpus's
         mistakes mixed in), graded by `grader grade --workers 2`, by `--workers 1`, and by
         `pytest checks --submission S` run once per submission, one after another.
- ex08:  `grader check train_digits` alone, and its share of a full `grader check`.
- scaling: the batch with 1 and 2 workers only, and 1 worker with every process on one core
         (what a second core adds, all of it; not run by default).
- watch: `grader watch` re-running exercises 01-07 after a save (its own "checked in" figure).
- floor: a class of 20 graded by `grader grade` beside the compute floor (bench/floor.py).
- against: with `--against DIR` (another checkout of the project, with its own .venv), this
         checkout's `grader check edge_filter` and batch (1 and 2 workers) beside that one's, on
         the same class: how a change moved the speed.

Commands of a part run interleaved (A, B, A, B, ...) so that a noisy neighbour costs each alike;
the table shows medians over --runs runs and the ratios of medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import (  # noqa: E402
    FIRST_SEVEN,
    GRADER,
    LAST_CPU,
    grade_batch,
    interleaved,
    make_class,
    timed,
)
from grader.workbook.paths import SOLUTIONS_DIR  # noqa: E402


def pytest_loop(batch: Path) -> float:
    checks = [str(e.folder) for e in FIRST_SEVEN]
    start = time.perf_counter()
    for folder in sorted(batch.iterdir()):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                *checks,
                f"--submission={folder}",
                "-q",
                "-p",
                "no:cacheprovider",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return time.perf_counter() - start


def watch_reruns(runs: int) -> dict[str, float]:
    """Median "checked in" seconds of `grader watch ID` after `runs` saves of each file."""
    import re
    import signal
    import threading

    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as folder:
        for exercise in FIRST_SEVEN:
            shutil.copy(SOLUTIONS_DIR / exercise.filename, Path(folder) / exercise.filename)
        for exercise in FIRST_SEVEN:
            process = subprocess.Popen(
                [GRADER, "watch", exercise.id, "--submission", folder],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
            seen: list[float] = []
            reader = threading.Thread(
                target=lambda: [
                    seen.append(float(m.group(1)))
                    for line in process.stdout
                    if (m := re.search(r"checked in ([0-9.]+) s", line))
                ],
                daemon=True,
            )
            reader.start()
            path = Path(folder) / exercise.filename
            for count in range(1, runs + 2):
                deadline = time.monotonic() + 60
                while len(seen) < count and time.monotonic() < deadline:
                    time.sleep(0.05)
                if count <= runs:
                    path.write_text(path.read_text() + "\n")
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=30)
            times[exercise.id] = statistics.median(seen[1:])  # the first run includes the start
    return times


def against(other: Path | None, students: int, runs: int) -> list[tuple[str, str, str]]:
    """This checkout's check and batch beside another checkout's, interleaved, on one class."""
    if other is None:
        raise SystemExit("--parts against needs --against DIR")
    other = other.resolve()
    theirs = str(other / ".venv" / "bin" / "grader")
    edge = ["check", "edge_filter", "--submission", str(SOLUTIONS_DIR)]
    with tempfile.TemporaryDirectory(prefix="bench-class-") as folder:
        batch = Path(folder) / "batch"
        make_class(batch, students)
        cpu: dict[str, list[float]] = {}

        def with_cpu(name: str, run: object) -> object:
            def measured() -> float:
                seconds = run()
                cpu.setdefault(name, []).append(LAST_CPU[0])
                return seconds

            return measured

        commands = {
            "edge": lambda: timed([GRADER, *edge]),
            "edge'": lambda: timed([theirs, *edge], other),
            "one": lambda: grade_batch(batch, 1),
            "one'": lambda: grade_batch(batch, 1, grader=theirs, cwd=other),
            "two": lambda: grade_batch(batch, 2),
            "two'": lambda: grade_batch(batch, 2, grader=theirs, cwd=other),
        }
        got = interleaved({name: with_cpu(name, run) for name, run in commands.items()}, runs)
    cpu_median = {name: statistics.median(values) for name, values in cpu.items()}
    rows = []
    for key, what in (
        ("edge", "grader check edge_filter (reference)"),
        ("one", f"grader grade, {students} submissions, --workers 1"),
        ("two", f"grader grade, {students} submissions, --workers 2"),
    ):
        mine, base = got[key], got[key + "'"]
        cpu_theirs = cpu_median[key + "'"]
        rows += [
            (f"{what}, {other.name}", f"{base:.2f} s", ""),
            (
                f"{what}, this checkout",
                f"{mine:.2f} s",
                f"{mine / base:.3f}x the time of {other.name}",
            ),
            (
                f"{what}, CPU seconds, {other.name} / this checkout",
                f"{cpu_theirs:.2f} / {cpu_median[key]:.2f} s",
                f"{cpu_median[key] / cpu_theirs:.3f}x the CPU of {other.name}",
            ),
        ]
    return rows


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return f"{os.cpu_count()} cores, {memory:.0f} GiB memory, Python {sys.version.split()[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--parts", default="edge,batch,ex08,watch")
    parser.add_argument(
        "--against",
        type=Path,
        metavar="DIR",
        help="another checkout (with its .venv) to compare with: part 'against'",
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    rows: list[tuple[str, str, str]] = []
    print(f"# {time.strftime('%Y-%m-%d')}, {machine()}; medians of {args.runs} runs", flush=True)
    if "edge" in parts:
        got = interleaved(
            {
                "check": [GRADER, "check", "edge_filter", "--submission", str(SOLUTIONS_DIR)],
                "torch": [sys.executable, "-c", "import torch"],
            },
            args.runs,
        )
        rows += [
            ("python -c 'import torch'", f"{got['torch']:.2f} s", ""),
            (
                "grader check edge_filter (reference)",
                f"{got['check']:.2f} s",
                f"{got['check'] / got['torch']:.2f}x import torch",
            ),
        ]
    if "batch" in parts:
        with tempfile.TemporaryDirectory(prefix="bench-class-") as folder:
            batch = Path(folder) / "batch"
            make_class(batch, args.students)
            got = interleaved(
                {
                    "two": lambda: grade_batch(batch, 2),
                    "one": lambda: grade_batch(batch, 1),
                    "loop": lambda: pytest_loop(batch),
                },
                args.runs,
            )
        n = args.students
        rows += [
            (f"pytest checks --submission S, x{n}, one after another", f"{got['loop']:.1f} s", ""),
            (
                f"grader grade, {n} submissions, --workers 1",
                f"{got['one']:.1f} s",
                f"{got['loop'] / got['one']:.2f}x faster than the loop",
            ),
            (
                f"grader grade, {n} submissions, --workers 2",
                f"{got['two']:.1f} s",
                f"{got['loop'] / got['two']:.2f}x faster than the loop; "
                f"{got['one'] / got['two']:.2f}x faster than 1 worker",
            ),
        ]
    if "scaling" in parts:  # the batch's 1 and 2 workers alone, without the slow loop
        with tempfile.TemporaryDirectory(prefix="bench-class-") as folder:
            batch = Path(folder) / "batch"
            make_class(batch, args.students)
            got = interleaved(
                {
                    "two": lambda: grade_batch(batch, 2),
                    "one": lambda: grade_batch(batch, 1),
                    "pinned": lambda: grade_batch(batch, 1, one_core=True),
                },
                args.runs,
            )
        rows += [
            (f"grader grade, {args.students} submissions, --workers 1", f"{got['one']:.2f} s", ""),
            (
                f"grader grade, {args.students} submissions, --workers 2",
                f"{got['two']:.2f} s",
                f"{got['one'] / got['two']:.3f}x faster than 1 worker",
            ),
            (
                f"grader grade, {args.students} submissions, --workers 1, all on one core",
                f"{got['pinned']:.2f} s",
                f"2 workers on 2 cores: {got['pinned'] / got['two']:.3f}x faster",
            ),
        ]
    if "ex08" in parts:
        got = interleaved(
            {
                "ex08": [GRADER, "check", "train_digits", "--submission", str(SOLUTIONS_DIR)],
                "all": [GRADER, "check", "--submission", str(SOLUTIONS_DIR)],
            },
            args.runs,
        )
        rows += [
            (
                "grader check train_digits (reference)",
                f"{got['ex08']:.2f} s",
                f"{got['ex08'] / got['all']:.0%} of a full check",
            ),
            ("grader check (all 8, reference)", f"{got['all']:.2f} s", ""),
        ]
    if "floor" in parts:
        from bench.floor import floor_rows

        rows += floor_rows(args.runs, against=[args.against] if args.against else [])
    if "against" in parts:
        rows += against(args.against, args.students, args.runs)
    if "watch" in parts:
        got = watch_reruns(args.runs)
        rows += [
            (f"grader watch, re-run of {name} after a save", f"{seconds:.2f} s", "")
            for name, seconds in got.items()
        ]
    width = max(len(r[0]) for r in rows)
    print(f"| {'what':<{width}} | median | ratio |\n|{'-' * (width + 2)}|--------|-------|")
    for what, seconds, ratio in rows:
        print(f"| {what:<{width}} | {seconds} | {ratio} |")


if __name__ == "__main__":
    main()

"""Compare `grader check ID` of this checkout with another build of the grader, side by side.

Runs are interleaved (this, baseline, this, baseline, ...) so that the shared machine's noise
falls on both alike; prints the medians and their ratio. For example, against the commit before
the worker was locked down, installed in its own venv:

    git worktree add /tmp/old <commit>
    python3 -m venv /tmp/oldvenv
    site=lib/python3.11/site-packages
    echo "$PWD/.venv/$site" > /tmp/oldvenv/$site/deps.pth
    /tmp/oldvenv/bin/pip install --no-deps -e /tmp/old
    python bench/check_overhead.py --baseline /tmp/oldvenv/bin/grader --baseline-root /tmp/old \\
        --runs 9
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from grader.workbook.paths import PROJECT_ROOT, SOLUTIONS_DIR

GRADER = str(Path(sys.executable).with_name("grader"))


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=cwd
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {done.returncode}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="the other build's `grader` executable")
    parser.add_argument(
        "--baseline-root",
        type=Path,
        required=True,
        help="the other build's checkout (each grader runs from its own checkout)",
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("ids", nargs="*", default=["edge_filter", "count_parameters", "data"])
    options = parser.parse_args()
    print(
        f"{'exercise':<18}{'this s':>9}{'baseline s':>12}{'ratio':>8}   (medians of {options.runs})"
    )
    for exercise in options.ids:
        ours, theirs = [], []
        for _ in range(options.runs):
            arguments = ["check", exercise, "--submission", str(SOLUTIONS_DIR)]
            ours.append(timed([GRADER, *arguments], PROJECT_ROOT))
            theirs.append(timed([options.baseline, *arguments], options.baseline_root))
        mine, base = statistics.median(ours), statistics.median(theirs)
        print(f"{exercise:<18}{mine:>9.2f}{base:>12.2f}{mine / base:>8.2f}")


if __name__ == "__main__":
    main()

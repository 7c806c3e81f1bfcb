"""Compare `grader check ID` of this checkout with another build of the grader, side by side.

Runs are interleaved, which of the two goes first alternating pair by pair, so that the shared
machine's noise falls on both alike; prints the medians of wall and of CPU seconds (the command
and every process it started and reaped) and their ratios. For example, against the commit before
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
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from grader.workbook.paths import PROJECT_ROOT, SOLUTIONS_DIR

GRADER = str(Path(sys.executable).with_name("grader"))


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of `command`."""
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=cwd
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {done.returncode}")
    return elapsed, _children_cpu() - cpu


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
        f"{'exercise':<18}{'this s':>9}{'baseline s':>12}{'ratio':>8}"
        f"{'this CPU':>10}{'baseline CPU':>14}{'ratio':>8}   (medians of {options.runs})"
    )
    for exercise in options.ids:
        arguments = ["check", exercise, "--submission", str(SOLUTIONS_DIR)]
        ours, theirs = [], []
        for run in range(options.runs):
            first_ours = run % 2 == 0
            for mine in (first_ours, not first_ours):
                if mine:
                    ours.append(timed([GRADER, *arguments], PROJECT_ROOT))
                else:
                    theirs.append(timed([options.baseline, *arguments], options.baseline_root))
        wall = [statistics.median(t[0] for t in side) for side in (ours, theirs)]
        cpu = [statistics.median(t[1] for t in side) for side in (ours, theirs)]
        print(
            f"{exercise:<18}{wall[0]:>9.2f}{wall[1]:>12.2f}{wall[0] / wall[1]:>8.3f}"
            f"{cpu[0]:>10.2f}{cpu[1]:>14.2f}{cpu[0] / cpu[1]:>8.3f}"
        )


if __name__ == "__main__":
    main()

"""How long `grader check ID` takes per exercise, against the floor of starting Python with torch.

Measured side by side in one run (medians of --runs runs each), on the references:

    python bench/check_times.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from grader.workbook.catalog import load_catalog
from grader.workbook.paths import SOLUTIONS_DIR

GRADER = str(Path(sys.executable).with_name("grader"))


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    floor = statistics.median(timed([sys.executable, "-c", "import torch"]) for _ in range(runs))
    vision = statistics.median(
        timed([sys.executable, "-c", "import torch, torchvision"]) for _ in range(runs)
    )
    print(
        f"python -c 'import torch': {floor:.2f} s; 'import torch, torchvision': {vision:.2f} s "
        f"(medians of {runs})"
    )
    print(f"{'exercise':<18}{'check s':>9}{'beyond torch s':>16}{'beyond torch+vision s':>23}")
    for exercise in load_catalog():
        seconds = statistics.median(
            timed([GRADER, "check", exercise.id, "--submission", str(SOLUTIONS_DIR)])
            for _ in range(runs)
        )
        print(f"{exercise.id:<18}{seconds:>9.2f}{seconds - floor:>16.2f}{seconds - vision:>23.2f}")


if __name__ == "__main__":
    main()

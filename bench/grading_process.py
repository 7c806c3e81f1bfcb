"""CPU seconds of one grading process alone (not its workers), as a batch's grading process
spends them: `grade_entry` on the class of bench/floor.py, every submission after a first.

    python bench/grading_process.py LABEL [--eight] [--students N]

Run it from each checkout's own .venv, alternating, to compare two commits' grading side: the
same class (made in a temporary folder), the same fixed key, exercises 01-07 (08's training is
the worker's: `--eight` adds it). Prints the CPU seconds and the sum of the totals graded.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ["OMP_NUM_THREADS"] = "1"  # as the grader main imports torch before it forks

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("label")
    parser.add_argument("--eight", action="store_true", help="exercise 08 too")
    parser.add_argument("--students", type=int, default=20)
    args = parser.parse_args()
    import torch

    from bench.floor import KEY, make_class
    from grader.commands.batch import grade_entry
    from grader.workbook.catalog import load_catalog
    from grader.workbook.grading_key import write_key_file
    from grader.workbook.intake import discover
    from grader.workbook.run_settings import CheckSettings

    torch.set_num_threads(1)
    try:  # a batch's grading process keeps one pytest session (commits from 549b821 on)
        from grader.commands.grading_session import keep_sessions

        keep_sessions()
    except ImportError:
        pass
    with tempfile.TemporaryDirectory(prefix="grading-process-") as folder:
        batch, key = Path(folder) / "batch", Path(folder) / "grading.key"
        make_class(batch)
        write_key_file(key, bytes.fromhex(KEY))
        settings = CheckSettings(key_file=key)
        ids = [e.id for e in load_catalog() if args.eight or e.id != "train_digits"]
        entries = discover(batch)[: args.students]
        grade_entry(entries[0], ids, settings)  # the first: imports, memo, session
        start = time.process_time()
        totals = [grade_entry(entry, ids, settings).result.total for entry in entries[1:]]
        spent = time.process_time() - start
    print(f"{args.label}: {spent:.2f} CPU s over {len(totals)} after a first; totals {sum(totals)}")
    sys.stdout.flush()
    os._exit(0)  # skip torch's teardown, as a grading process does


if __name__ == "__main__":
    main()

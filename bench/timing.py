"""What bench/run.py's parts share: the class they grade, and commands timed in wall and CPU
seconds, interleaved."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.workbook.catalog import load_catalog  # noqa: E402
from grader.workbook.paths import SOLUTIONS_DIR  # noqa: E402
from tests.corpus import WRONG  # noqa: E402

BIN = Path(sys.executable).parent
GRADER = str(BIN / "grader")
FIRST_SEVEN = [e for e in load_catalog() if e.number <= 7]


def make_class(batch: Path, students: int) -> None:
    """`students` submissions of exercises 01-07: each exercise the reference or one of the
    corpus's mistakes for it, chosen by a fixed rule (the same class every run)."""
    for index in range(students):
        folder = batch / f"student{index:03d}"
        folder.mkdir(parents=True)
        for exercise in FIRST_SEVEN:
            text = (SOLUTIONS_DIR / exercise.filename).read_text()
            mistakes = [v for v in WRONG if v.exercise == exercise.id]
            pick = (index * 7 + exercise.number * 3) % (2 * len(mistakes))
            if pick < len(mistakes):  # about half the answers carry a mistake
                for old, new in mistakes[pick].edits:
                    text = text.replace(old, new)
            (folder / exercise.filename).write_text(text)


# CPU seconds of every process the last `timed` command started and waited for (cgroups and
# sessions included: each process is reaped by its parent, so its time reaches ours).
LAST_CPU = [0.0]


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(command: list[str], cwd: Path = ROOT, one_core: bool = False) -> float:
    """Seconds `command` takes; `one_core`: it and every process it starts run on one core."""
    first_core = min(os.sched_getaffinity(0))
    cpu_before = children_cpu()
    start = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=(lambda: os.sched_setaffinity(0, {first_core})) if one_core else None,
    )
    seconds = time.perf_counter() - start
    LAST_CPU[0] = children_cpu() - cpu_before
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def interleaved(commands: dict[str, object], runs: int) -> dict[str, float]:
    """Median seconds of each callable or command over `runs`, run A, B, C, A, B, C, ..."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(command() if callable(command) else timed(command))
    return {name: statistics.median(values) for name, values in times.items()}


def grade_batch(
    batch: Path, workers: int, one_core: bool = False, grader: str = GRADER, cwd: Path = ROOT
) -> float:
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    try:
        only = [a for e in FIRST_SEVEN for a in ("--only", e.id)]
        return timed(
            [grader, "grade", str(batch), "--out", str(out), "--workers", str(workers), *only],
            cwd=cwd,
            one_core=one_core,
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)

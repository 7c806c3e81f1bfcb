"""`grader check ID` with the zygote kept between checks, against `python -c "import torch"`.

Four commands a round, their order rotated round by round so that the shared machine's noise
falls on all alike: the floor (`import torch`), a first check (the kept zygote killed before,
so the check starts one), a second check (it reuses that zygote), and a check with its own
zygote (`--no-keep`, as before); with `--against DIR` (repeatable), the three checks of
another checkout too (its own .venv, its own kept zygote), interleaved. CPU seconds are the
command's and every process it reaped, plus the kept zygote's growth during the command from
/proc/PID/stat (its own and its reaped workers' time): it is no descendant of a second check.
Prints medians and the load average.

    python bench/kept_zygote.py [--runs 7] [--against OTHER_CHECKOUT] [ID]
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader.supervisor.kept_zygote import running_zygotes
from grader.workbook import zygote_place
from grader.workbook.paths import PROJECT_ROOT

GRADER = str(Path(sys.executable).with_name("grader"))
TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """CPU seconds of a live process and the children it has reaped (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / TICK  # utime stime cutime cstime


def _reaped_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(command: list[str], folder: Path, cwd: Path = PROJECT_ROOT) -> tuple[float, float, float]:
    """Wall and CPU seconds of `command`, the kept zygote's growth included, and that growth."""
    before = {pid: process_cpu(pid) for pid in running_zygotes(folder)}
    cpu, start = _reaped_cpu(), time.perf_counter()
    done = subprocess.run(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=cwd,
        env={**os.environ, zygote_place.FOLDER_VARIABLE: str(folder)},
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed with exit code {done.returncode}")
    time.sleep(0.2)  # the zygote reaps the worker the check killed
    grown = sum(process_cpu(pid) - before.get(pid, 0.0) for pid in running_zygotes(folder))
    return elapsed, _reaped_cpu() - cpu + grown, grown


def kill_kept(folder: Path) -> None:
    for pid in running_zygotes(folder):
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while pid in running_zygotes(folder) and time.monotonic() < deadline:
            time.sleep(0.02)


def settle(folder: Path) -> float:
    """Wait until the kept zygote is idle (it folds its memory into huge pages after its first
    fork: about a second of CPU once in its life); its CPU seconds meanwhile."""
    pids = running_zygotes(folder)
    start = last = sum(map(process_cpu, pids))
    quiet = 0
    for _ in range(120):
        time.sleep(0.5)
        now = sum(map(process_cpu, pids))
        quiet = quiet + 1 if now == last else 0
        if quiet == 3:  # still for 1.5 s: a loaded machine may leave it waiting a while
            break
        last = now
    return last - start


KINDS = ("first check", "second check", "--no-keep check")


def one_command(kind: str, grader: str, root: Path, folder: Path, exercise: str, folding: list):
    """Time one command of `kind` with the checkout at `root` (its kept zygotes in `folder`)."""
    check = [grader, "check", exercise, "--submission", str(root / "solutions")]
    if kind == "--no-keep check":
        return timed([*check, "--no-keep"], folder, root)
    if kind == "first check":
        kill_kept(folder)
        figure = timed(check, folder, root)
        folding.append(settle(folder))
        return figure
    if not running_zygotes(folder):
        timed(check, folder, root)  # the zygote the second check reuses
        settle(folder)
    figure = timed(check, folder, root)
    settle(folder)
    return figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--against",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="another checkout (its own .venv), its commands interleaved with this one's",
    )
    parser.add_argument("id", nargs="?", default="edge_filter")
    options = parser.parse_args()
    os.environ.pop(zygote_place.NO_KEEP_VARIABLE, None)
    base = Path(tempfile.mkdtemp(prefix="cnn-bench-"))
    sides = {"this": (GRADER, PROJECT_ROOT)} | {
        f"{other.resolve().name}": (str(other.resolve() / ".venv/bin/grader"), other.resolve())
        for other in options.against
    }
    folders = {side: base / f"zygotes-{index}" for index, side in enumerate(sides)}
    commands = ["import torch"] + [f"{kind} | {side}" for side in sides for kind in KINDS]
    figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    folding: list[float] = []
    loads = []
    try:
        for run in range(options.runs):
            shift = run % len(commands)
            for name in commands[shift:] + commands[:shift]:
                if name == "import torch":
                    command = [sys.executable, "-c", "import torch"]
                    figures[name].append(timed(command, folders["this"]))
                    continue
                kind, side = name.split(" | ")
                grader, root = sides[side]
                figures[name].append(
                    one_command(kind, grader, root, folders[side], options.id, folding)
                )
            loads.append(os.getloadavg()[0])
    finally:
        for folder in folders.values():
            kill_kept(folder)
    report(options, commands, figures, folding, loads)


def report(options, commands, figures, folding, loads) -> None:
    torch_runs = figures["import torch"]
    wall0 = statistics.median(t[0] for t in torch_runs)
    cpu0 = statistics.median(t[1] for t in torch_runs)
    print(
        f"{options.id}: medians of {options.runs} rounds; load average (1 min) median "
        f"{statistics.median(loads):.2f}, range {min(loads):.2f}-{max(loads):.2f}"
    )
    print(f"{'command':<32}{'wall s':>8}{'x torch':>9}{'CPU s':>8}{'x torch':>9}{'zygote s':>10}")
    for name in commands:
        wall = statistics.median(t[0] for t in figures[name])
        cpu = statistics.median(t[1] for t in figures[name])
        grown = statistics.median(t[2] for t in figures[name])
        print(
            f"{name:<32}{wall:>8.2f}{wall / wall0:>9.2f}{cpu:>8.2f}{cpu / cpu0:>9.2f}{grown:>10.2f}"
        )
    for name in commands[1:]:
        pairs = [b[1] / a[1] for a, b in zip(torch_runs, figures[name])]
        walls = [b[0] / a[0] for a, b in zip(torch_runs, figures[name])]
        print(f"{name} / import torch, round by round:")
        print(f"    CPU  {' '.join(f'{r:.2f}' for r in pairs)}")
        print(f"    wall {' '.join(f'{r:.2f}' for r in walls)}")
    print(
        f"the kept zygote's CPU after a first check, idle (folding): median "
        f"{statistics.median(folding):.2f} s"
    )


if __name__ == "__main__":
    main()

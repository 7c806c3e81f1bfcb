"""The compute floor of grading a class, beside `grader grade` on the same class.

    python bench/floor.py [--runs 5] [--against OTHER_CHECKOUT]   # or bench/run.py --parts floor

The class: 20 submissions of all eight exercises, 10 the references and 10 with one corpus
mistake each (one exercise each, 01 to 08 and again 01, 02). The batch is graded by
`grader grade --workers 2` with a fixed key; its cost is the CPU seconds of the grader and every
process it started and reaped (wall beside).

The floor is ONE process that imports torch once and makes the calls the checks make: every
request the grading side sent to a worker (load the file, call a student function, run a
driver's function such as 08's fit, on the same inputs, seeds and key) is recorded once from a
real grading of the same class in one process (`--record`, not timed), then replayed (`--replay`,
timed) through the worker's own request handler (`grader.worker.server.handle`), without cage,
zygote, pytest, wire or grading process. What the floor leaves out: the expected values the
checks compute, the comparisons and feedback, the held-out digits and 08's scoring of them is in
(a recorded request) but drawing them is not; the training digits, the same for every student
of a run, are drawn once (08's fit gets a copy each time).
"""

from __future__ import annotations

import argparse
import json
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

from bench.timing import children_cpu  # noqa: E402
from grader.workbook.catalog import load_catalog  # noqa: E402
from grader.workbook.paths import SOLUTIONS_DIR  # noqa: E402

BIN = Path(sys.executable).parent
KEY = "5eed" * 16  # a fixed grading key: the same secret inputs in the batch and the record
STUDENTS, WITH_MISTAKE = 20, 10


def make_class(batch: Path) -> None:
    """10 references, then 10 submissions with one corpus mistake each (a fixed choice)."""
    from tests.corpus import WRONG

    exercises = load_catalog()
    for index in range(STUDENTS):
        folder = batch / f"student{index:03d}"
        folder.mkdir(parents=True)
        for exercise in exercises:
            (folder / exercise.filename).write_text((SOLUTIONS_DIR / exercise.filename).read_text())
        if index < STUDENTS - WITH_MISTAKE:
            continue
        turn = index - (STUDENTS - WITH_MISTAKE)
        exercise = exercises[turn % len(exercises)]
        mistake = [v for v in WRONG if v.exercise == exercise.id][turn // len(exercises)]
        text = (folder / exercise.filename).read_text()
        for old, new in mistake.edits:
            text = text.replace(old, new)
        (folder / exercise.filename).write_text(text)


def record(batch: Path, recording: Path) -> None:
    """Grade the class in this process (as a grading process does) and keep every request sent
    to a worker, by worker: [[[request, its reply was ok, the folder 06's files went to]...]...]."""
    import torch

    from grader.checking.runner import run_checks
    from grader.supervisor.pool import shared_pool
    from grader.supervisor.process import Worker
    from grader.wire.frames import Op
    from grader.workbook.grading_key import write_key_file
    from grader.workbook.run_settings import CheckSettings

    sessions: list[list[dict]] = []
    original = Worker.request

    def kept(self, message, *args, **kwargs):
        if not hasattr(self, "_floor_session"):
            self._floor_session = len(sessions)
            sessions.append([])
        reply = original(self, message, *args, **kwargs)  # a worker that died records nothing
        folder = reply.get("value") if message.get("op") == Op.FILES else None
        sessions[self._floor_session].append([message, bool(reply.get("ok")), folder])
        return reply

    Worker.request = kept
    torch.set_num_threads(1)  # as in a batch's grading process
    with tempfile.TemporaryDirectory(prefix="floor-key-") as folder:
        key_file = Path(folder) / "grading.key"
        write_key_file(key_file, bytes.fromhex(KEY))
        settings = CheckSettings(key_file=key_file)
        for student in sorted(batch.iterdir()):
            run_checks(submission=student, settings=settings)
    shared_pool().shutdown()
    recording.write_text(json.dumps(sessions))


def replay(recording: Path) -> None:
    """Make every recorded request in this one process, through the worker's own handler."""
    import torch

    import grader.digits
    from grader.wire import protocol
    from grader.worker import server

    torch.set_num_threads(1)
    drawn: dict = {}
    make_digits = grader.digits.make_digits

    def once(n, seed, **options):  # the same digits for every student: drawn once
        key = (n, seed, tuple(sorted(options.items())))
        if key not in drawn:
            drawn[key] = make_digits(n, seed, **options)
        return tuple(t.clone() for t in drawn[key])

    grader.digits.make_digits = once
    differ = 0
    for session in json.loads(recording.read_text()):
        with tempfile.TemporaryDirectory(prefix="floor-worker-") as scratch:
            server._state.update(locked=True, scratch=scratch, module=None, driver=None)
            places = {m["scratch"]: scratch for m, _, _ in session if "scratch" in m}
            for message, ok, folder in session:
                text = json.dumps(message)
                for recorded in sorted(places, key=len, reverse=True):  # its folders, in ours
                    text = text.replace(
                        json.dumps(recorded)[1:-1], json.dumps(places[recorded])[1:-1]
                    )
                reply = server.handle(json.loads(text))
                differ += bool(reply.get("ok")) != ok
                if folder and reply.get("ok"):  # 06's files: a fresh name each time
                    places[protocol.decode(folder)] = protocol.decode(reply["value"])
    print(f"{differ} replies differ from the recorded ones in ok", file=sys.stderr)
    sys.stdout.flush()
    os._exit(0)  # as the grader's processes end: no teardown of torch


def _adopt_orphans() -> None:
    """Become the subreaper of what we start: a process whose parent ended before reaping it (the
    warm zygote, forked by a zygote that is killed at the end, and the workers it forked) comes
    to us, so its CPU time reaches RUSAGE_CHILDREN instead of being lost with init."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _timed(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """(CPU seconds of `command` and of every process it started, wall seconds)."""
    _adopt_orphans()
    cpu, start = children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while True:  # the orphans that came to us, once they end
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()[-2000:]}")
    return children_cpu() - cpu, wall


def floor_rows(runs: int, workers: int = 2, against: list[Path] = ()) -> list[tuple[str, str, str]]:
    """The batch and the floor (and with `against`, other checkouts' batches: their own .venv),
    interleaved `runs` times; rows of medians and ratios."""
    here = str(Path(__file__).resolve())
    graders = {
        other.resolve().name: (other.resolve() / ".venv/bin/grader", other) for other in against
    }
    graders["this checkout"] = (BIN / "grader", ROOT)
    with tempfile.TemporaryDirectory(prefix="floor-class-") as folder:
        batch, recording = Path(folder) / "batch", Path(folder) / "calls.json"
        make_class(batch)
        subprocess.run([sys.executable, here, "--record", str(batch), str(recording)], check=True)
        out = Path(folder) / "out"
        got: dict[str, list[tuple[float, float]]] = {name: [] for name in ["floor", *graders]}
        for _ in range(runs):
            for name, (grader, cwd) in graders.items():
                shutil.rmtree(out, ignore_errors=True)
                grade = [str(grader), "grade", str(batch), "--out", str(out), "--key", KEY]
                got[name].append(_timed([*grade, "--workers", str(workers)], cwd))
            got["floor"].append(_timed([sys.executable, here, "--replay", str(recording)]))
            seen = ", ".join(f"{k} {v[-1][0]:.1f} CPU s {v[-1][1]:.1f} s" for k, v in got.items())
            print(f"# run {len(got['floor'])}: {seen}", file=sys.stderr, flush=True)
    cpu = {k: statistics.median(c for c, _ in v) for k, v in got.items()}
    wall = {k: statistics.median(w for _, w in v) for k, v in got.items()}
    rows = [
        (
            f"compute floor: one process making the checks' calls, {STUDENTS} submissions",
            f"{cpu['floor']:.1f} CPU s, {wall['floor']:.1f} s",
            "",
        )
    ]
    for name in graders:
        rows.append(
            (
                f"grader grade, the same {STUDENTS}, --workers {workers}, {name}",
                f"{cpu[name]:.1f} CPU s, {wall[name]:.1f} s",
                f"{cpu[name] / cpu['floor']:.2f}x the floor's CPU, "
                f"{wall[name] / wall['floor']:.2f}x its wall",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--record", nargs=2, type=Path, metavar=("BATCH", "FILE"))
    parser.add_argument("--replay", type=Path, metavar="FILE")
    parser.add_argument(
        "--against", type=Path, action="append", default=[], metavar="DIR", help="other checkouts"
    )
    args = parser.parse_args()
    if args.record:
        record(*args.record)
        sys.stdout.flush()
        os._exit(0)
    if args.replay:
        replay(args.replay)
    print(f"# {time.strftime('%Y-%m-%d %H:%M')}; medians of {args.runs} interleaved runs")
    for what, figure, ratio in floor_rows(args.runs, args.workers, args.against):
        print(f"| {what} | {figure} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()

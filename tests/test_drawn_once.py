"""08's training digits are drawn once, before a worker is forked (or, in a worker started afresh,
before it says ready): every worker then trains on exactly the digits it would have drawn itself,
and no student's CPU budget pays for them."""

from __future__ import annotations

import re
from pathlib import Path

import torch

from grader.checking import drawn_once
from grader.digits import digit_loader, make_digits
from grader.supervisor.process import Worker
from grader.supervisor.zygote_client import Zygote
from grader.wire import protocol
from grader.workbook.catalog import exercise_by_id
from grader.workbook.grading_key import Seeds, seed_scope

PROBE = """
import sys
import torch


def probe(n, seed):
    digits = sys.modules["grader.digits"]
    images, labels = digits.digit_loader(n, seed, shuffle=False).dataset.tensors
    return {"kept": [list(k) for k in digits._KEPT], "images": images, "labels": labels}
"""


def _probe(worker: Worker, source: Path, n: int, seed: int) -> dict:
    assert worker.request(worker.load_request(source, "probe"), timeout=60) == {"ok": True}
    message = {"op": "call", "function": "probe", "args": protocol.encode([n, seed])}
    reply = worker.request({**message, "kwargs": protocol.encode({})}, timeout=60)
    assert reply["ok"], reply
    return protocol.decode(reply["value"])


def test_workers_train_on_the_digits_they_would_draw_and_draw_none(tmp_path):
    source = tmp_path / "probe.py"
    source.write_text(PROBE)
    torch.set_num_threads(1)
    images, labels = make_digits(300, seed=7)
    zygote = Zygote(("optimizer",))
    try:
        for zygote_or_none in (zygote, None):  # forked, then started afresh
            worker = Worker(("optimizer", "digits:300:7"), zygote=zygote_or_none)
            try:
                got = _probe(worker, source, 300, 7)
            finally:
                worker.close()
            assert got["kept"] == [[300, 7]]  # drawn before the worker ran anything of ours
            assert torch.equal(got["images"], images) and torch.equal(got["labels"], labels)
    finally:
        zygote.close()


def test_a_loader_of_kept_digits_is_the_loader_of_drawn_ones():
    from grader import digits

    drawn = [b for b in digit_loader(200, 3, batch_size=50, relabel=list(range(9, -1, -1)))]
    digits.keep(["optimizer", "digits:200:3"])
    try:
        kept = [b for b in digit_loader(200, 3, batch_size=50, relabel=list(range(9, -1, -1)))]
    finally:
        digits._KEPT.clear()
    assert all(torch.equal(a, b) for x, y in zip(drawn, kept) for a, b in zip(x, y))


def test_the_declared_digits_are_those_fit_trains_on():
    """inputs.py's DRAWN_ONCE names the seed the check gives fit and the driver's TRAIN_SIZE, in
    the public run and in a graded one (the key's own seed)."""
    exercise = exercise_by_id("train_digits")
    check = (exercise.folder / "check_08_train_digits.py").read_text()
    driver = (exercise.folder / "driver.py").read_text()
    assert 'seeds.get("training", 0)' in check
    size = int(re.search(r"TRAIN_SIZE, BATCH_SIZE = ([\d_]+),", driver)[1])
    assert drawn_once.warm_up(exercise, None) == ("optimizer", f"digits:{size}:0")
    key = bytes(range(32))
    seed = Seeds(key, seed_scope(exercise)).get("training", 0)
    assert drawn_once.warm_up(exercise, key) == ("optimizer", f"digits:{size}:{seed}")
    assert drawn_once.warm_up(exercise_by_id("edge_filter"), key) == ()

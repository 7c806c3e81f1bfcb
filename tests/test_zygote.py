"""Workers forked from the zygote compute exactly what a worker started afresh computes, many
times over, without ever hanging; the zygote stays single-threaded; a dead zygote costs speed,
not grades."""

from __future__ import annotations

import os
import time
from pathlib import Path

import torch

from grader.supervisor.process import Worker
from grader.supervisor.zygote_client import Zygote
from grader.wire import protocol

# Student-like code touching what a fork can break: the intra-op thread pool (a large matmul and
# conv), autograd, an optimizer's first step, and the random number generators.
WORKLOAD = """
import random
import numpy as np
import torch
from torch import nn


def compute(seed):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(8 * 16 * 16, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    images, labels = torch.randn(64, 1, 32, 32), torch.randint(0, 10, (64,))
    for _ in range(3):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
    big = torch.randn(512, 512) @ torch.randn(512, 512)
    return {"loss": loss.detach(), "weight": model[0].weight.detach(), "big": big.sum(),
            "threads": torch.get_num_threads(), "py": random.random(),
            "np": float(np.random.rand())}
"""


def run_in(worker: Worker, source: Path, seed: int) -> dict:
    loaded = worker.request(worker.load_request(source, "workload"), timeout=60)
    assert loaded == {"ok": True}, loaded
    reply = worker.request(
        {
            "op": "call",
            "function": "compute",
            "return_args": False,
            "args": protocol.encode([seed]),
            "kwargs": protocol.encode({}),
            "seed": seed,
        },
        timeout=60,
    )
    assert reply["ok"], reply
    return protocol.decode(reply["value"])


def same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(
        torch.equal(a[k], b[k]) if isinstance(a[k], torch.Tensor) else a[k] == b[k] for k in a
    )


def test_forked_workers_match_a_fresh_interpreter_every_time(tmp_path):
    source = tmp_path / "workload.py"
    source.write_text(WORKLOAD)
    fresh = Worker(("optimizer",))
    try:
        expected = {seed: run_in(fresh, source, seed) for seed in (0, 1)}
    finally:
        fresh.close()
    assert expected[0]["threads"] == 1 and not same(expected[0], expected[1])
    zygote = Zygote()
    try:
        started = time.monotonic()
        for round_ in range(40):
            worker = Worker(("optimizer",) if round_ % 2 else (), zygote=zygote)
            try:
                seed = round_ % 2
                got = run_in(worker, source, seed)  # each request has a 60 s limit: a hang fails
                assert same(got, expected[seed]), f"fork {round_} computed something else"
            finally:
                worker.close()
        elapsed = time.monotonic() - started
        threads = len(os.listdir(f"/proc/{zygote.process.pid}/task"))
    finally:
        zygote.close()
    assert threads == 1, "the zygote started threads: a fork would copy only one of them"
    assert elapsed < 600


def test_a_dead_zygote_means_fresh_workers_not_lost_grades(tmp_path):
    source = tmp_path / "workload.py"
    source.write_text(WORKLOAD)
    zygote = Zygote()
    try:
        first = Worker((), zygote=zygote)
        expected = run_in(first, source, 3)
        first.close()
        zygote.process.kill()
        zygote.process.wait()
        second = Worker((), zygote=zygote)
        try:
            assert same(run_in(second, source, 3), expected)
            assert not isinstance(second.process, type(first.process))  # started afresh
        finally:
            second.close()
    finally:
        zygote.close()


def _parent(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("PPid:"):
            return int(line.split()[1])
    raise AssertionError(f"no PPid for {pid}")


def test_the_warm_zygote_forks_every_worker_once_it_has_answered(tmp_path):
    """With warm-ups, a second zygote imports them while the first forks the workers that need
    none; once the warm one has answered, it forks all of them (its memory is the folded one).
    Which one forked a worker changes nothing in what it computes."""
    source = tmp_path / "workload.py"
    source.write_text(WORKLOAD)
    zygote = Zygote(("optimizer",))
    forked_by = []
    results = []
    try:
        for warm_up in ((), ("optimizer",), ()):
            worker = Worker(warm_up, zygote=zygote)
            try:
                results.append(run_in(worker, source, 5))
                parent = _parent(worker.process.pid)
                forked_by.append((parent, _parent(parent)))
            finally:
                worker.close()
    finally:
        zygote.close()
    first = zygote.process.pid
    assert forked_by[0][0] == first, "a worker without warm-ups waited for the warm zygote"
    assert forked_by[1][1] == first, "the warm-up worker was not forked by the first zygote's child"
    assert forked_by[2][0] == forked_by[1][0], (
        "the warm zygote had answered, yet did not fork the next worker"
    )
    assert same(results[0], results[1]) and same(results[1], results[2])

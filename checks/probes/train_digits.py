"""Trusted probes for exercise 08, run in the worker next to the submission.

The training digits (seed `seed`) and the held-out digits (seed `seed + 1000`)
come from grader.digits; `fit` only ever sees the training loader.
"""

from __future__ import annotations

import time

import torch

from grader.digits import digit_loader, make_digits

TRAIN_SIZE, TEST_SIZE, BATCH_SIZE = 10_000, 2_000, 64
MAX_PARAMETERS = 100_000
# accuracy (percent) on held-out digits -> points; see bench/calibrate_digits.py
THRESHOLDS = ((30.0, 4), (50.0, 8), (70.0, 12), (80.0, 16), (85.0, 20))  # cumulative points
MAX_POINTS = THRESHOLDS[-1][1]


def points_for(accuracy: float) -> int:
    earned = 0
    for threshold, points in THRESHOLDS:
        if accuracy >= threshold:
            earned = points
    return earned


def describe_model(module) -> dict:
    """Build the model and report its size and output shape on a small batch."""
    model = module.build_model()
    if not isinstance(model, torch.nn.Module):
        return {"is_module": False, "type": type(model).__name__}
    parameters = sum(p.numel() for p in model.parameters())
    with torch.no_grad():
        output = model(torch.zeros(3, 1, 28, 28))
    return {"is_module": True, "parameters": parameters, "output": output}


def train_and_score(module, seed: int = 0) -> dict:
    """build_model, fit on the training digits, then accuracy on held-out digits."""
    model = module.build_model()
    parameters = sum(p.numel() for p in model.parameters())
    loader = digit_loader(TRAIN_SIZE, seed=seed, batch_size=BATCH_SIZE)
    start = time.perf_counter()
    module.fit(model, loader)
    fit_seconds = time.perf_counter() - start
    images, labels = make_digits(TEST_SIZE, seed=seed + 1000)
    model.eval()
    with torch.no_grad():
        predictions = torch.cat(
            [model(images[i : i + 500]).argmax(1) for i in range(0, TEST_SIZE, 500)]
        )
    accuracy = 100.0 * (predictions == labels).sum().item() / TEST_SIZE
    return {"accuracy": accuracy, "parameters": parameters, "fit_seconds": fit_seconds}

"""Driver for exercise 08, run in the worker: build the model, train it with the learner's `fit`
on the training digits, then give its scores (logits) for images the checks send afterwards.

The held-out digits are drawn by the checks only once `fit` has returned, their labels never enter
the worker, and the accuracy, thresholds and timing are all decided outside (inputs.py)."""

from __future__ import annotations

import torch

from grader.digits import digit_loader

# What the learner wrote that each driver function calls: messages name it, not the driver.
LEARNER = {
    "describe_model": "build_model",
    "fit": "build_model and fit",
    "scores": "your model's forward on the held-out digits",
}

TRAIN_SIZE, BATCH_SIZE = 10_000, 64
_trained: dict[str, torch.nn.Module] = {}


def describe_model(module) -> dict:
    """Build the model and report its size and output shape on a small batch."""
    model = module.build_model()
    if not isinstance(model, torch.nn.Module):
        return {"is_module": False, "type": type(model).__name__}
    parameters = sum(p.numel() for p in model.parameters())
    with torch.no_grad():
        output = model(torch.zeros(3, 1, 28, 28))
    return {"is_module": True, "parameters": parameters, "output": output}


def fit(module, seed: int) -> dict:
    """build_model, then fit on the training digits drawn from `seed`; the model is kept here for
    `scores`."""
    model = module.build_model()
    parameters = sum(p.numel() for p in model.parameters())
    watch = _watch_gradients(model)
    try:
        module.fit(model, digit_loader(TRAIN_SIZE, seed=seed, batch_size=BATCH_SIZE))
    finally:
        watch["handle"] and watch["handle"].remove()
    _trained["model"] = model
    return {"parameters": parameters, "backwards": watch["backwards"], "stale": watch["stale"]}


def _watch_gradients(model) -> dict:
    """Count the backward passes and those that met a parameter whose .grad still held earlier
    gradients (not cleared since the last backward): what a fit without zero_grad does."""
    watch = {"backwards": 0, "stale": 0, "handle": None}
    first = next((p for p in model.parameters() if p.requires_grad), None)
    if first is None:
        return watch

    def seen(grad):
        watch["backwards"] += 1
        watch["stale"] += int(first.grad is not None and bool(first.grad.any()))
        return grad

    watch["handle"] = first.register_hook(seen)
    return watch


def scores(module, images: torch.Tensor):
    """The trained model's scores for `images`, in evaluation mode."""
    model = _trained["model"]
    model.eval()
    with torch.no_grad():
        return model(images)

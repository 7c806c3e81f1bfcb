"""Inputs for exercise 07's checks, in the pytest process only: the model's parameters, the images
and the labels (the model gets about half of them right). No answer: what correct evaluation gives
comes from the reference, through the checks' `expected`."""

from __future__ import annotations

import torch

from grader.checking.submission import load_driver

driver = load_driver("evaluate")  # the same module the checks use
BATCHES = (5, 5, 3)


def make_case(seed: int) -> dict:
    """Parameters and buffers, 13 images in batches of 5, 5 and 3, and their labels."""
    gen = torch.Generator().manual_seed(seed)
    model = driver.build(None)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen))
        model[3].running_mean.copy_(torch.randn(12, generator=gen))
        model[3].running_var.copy_(torch.rand(12, generator=gen) + 0.5)
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    images = torch.randn(sum(BATCHES), 1, 4, 4, generator=gen)
    with torch.no_grad():
        predictions = model.eval()(images).argmax(1)
    noise = torch.randint(0, 10, predictions.shape, generator=gen)
    labels = torch.where(torch.rand(predictions.shape, generator=gen) < 0.5, predictions, noise)
    batches, start = [], 0
    for size in BATCHES:
        batches.append((images[start : start + size], labels[start : start + size]))
        start += size
    return {"state": state, "images": images, "labels": labels, "batches": batches}


def model_for(case: dict) -> torch.nn.Module:
    """The model in evaluation mode, as correct code runs it."""
    return driver.build(case["state"]).eval()

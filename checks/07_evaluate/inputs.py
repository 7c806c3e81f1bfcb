"""Inputs for exercise 07's checks, in the pytest process only: the model's parameters, the images
and the labels (the model gets about half of them right). No answer: what correct evaluation gives
comes from the reference, through the checks' `expected`."""

from __future__ import annotations

import torch

from grader.checking.submission import load_driver

driver = load_driver("evaluate")  # the same module the checks use
BATCHES = (5, 5, 3)
MODE_BATCHES = (24, 24, 12)


def make_case(seed: int, sizes: tuple[int, ...] = BATCHES, agree: float = 0.5) -> dict:
    """Parameters and buffers, 13 images in batches of 5, 5 and 3 (or of `sizes`), and their
    labels: the evaluation-mode prediction for a share `agree` of them, a random class else."""
    gen = torch.Generator().manual_seed(seed)
    model = driver.build(None)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen))
        model[3].running_mean.copy_(torch.randn(12, generator=gen))
        model[3].running_var.copy_(torch.rand(12, generator=gen) + 0.5)
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    images = torch.randn(sum(sizes), 1, 4, 4, generator=gen)
    with torch.no_grad():
        predictions = model.eval()(images).argmax(1)
    noise = torch.randint(0, 10, predictions.shape, generator=gen)
    labels = torch.where(torch.rand(predictions.shape, generator=gen) < agree, predictions, noise)
    batches, start = [], 0
    for size in sizes:
        batches.append((images[start : start + size], labels[start : start + size]))
        start += size
    return {"state": state, "images": images, "labels": labels, "batches": batches}


def make_mode_case(seed: int) -> dict:
    """For the eval-mode checks: 60 images, 70-95 % of them labelled as the model predicts in
    evaluation mode. Dropout and batch statistics make training mode give other predictions,
    and an accuracy near 20-40 %: no answer in training mode matches (tests/test_eval_mode.py)."""
    agree = 0.7 + 0.25 * torch.rand((), generator=torch.Generator().manual_seed(seed)).item()
    return make_case(seed, MODE_BATCHES, agree)


def model_for(case: dict) -> torch.nn.Module:
    """The model in evaluation mode, as correct code runs it."""
    return driver.build(case["state"]).eval()


def eval_mode_answers(case: dict) -> dict[str, list]:
    """What the model gives in evaluation mode on `case`, computed here from the model itself, in
    each form its function's own check recognises (a form mistake does not hide the mode): the
    eval-mode points rest on the learner's answer matching one of them."""
    model = model_for(case)
    with torch.no_grad():
        scores = model(case["images"])
        per_batch = [model(x).argmax(1) == y for x, y in case["batches"]]
    predictions = scores.argmax(1)
    correct = sum(int(hits.sum()) for hits in per_batch)
    percent = 100.0 * correct / len(case["labels"])
    batch_mean = sum(100.0 * float(hits.float().mean()) for hits in per_batch) / len(per_batch)
    matrix = torch.zeros(10, 10, dtype=torch.int64)
    for true, predicted in zip(case["labels"].tolist(), predictions.tolist()):
        matrix[true, predicted] += 1
    return {
        "predict": [predictions, predictions[:, None], scores],
        "accuracy": [percent, percent / 100, batch_mean, batch_mean / 100],
        "confusion_matrix": [matrix, matrix.T],
    }

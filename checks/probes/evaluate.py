"""Trusted probes for exercise 07: a model whose output depends on the mode (dropout and
batch norm), handed over in training mode, with labels the model gets about half right."""

from __future__ import annotations

import torch
from torch import nn

from grader.worker.probe_tools import ModeRecorder

BATCHES = (5, 5, 3)


def make_model(seed: int) -> nn.Module:
    gen = torch.Generator().manual_seed(seed)
    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(16, 12),
        nn.BatchNorm1d(12),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(12, 10),
    )
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen))
        model[2].running_mean.copy_(torch.randn(12, generator=gen))
        model[2].running_var.copy_(torch.rand(12, generator=gen) + 0.5)
    model.train()  # as a model arrives straight from training
    return model


def make_data(seed: int):
    gen = torch.Generator().manual_seed(seed + 1)
    images = torch.randn(sum(BATCHES), 1, 4, 4, generator=gen)
    model = make_model(seed).eval()
    with torch.no_grad():
        predictions = model(images).argmax(1)
    noise = torch.randint(0, 10, predictions.shape, generator=gen)
    labels = torch.where(torch.rand(predictions.shape, generator=gen) < 0.5, predictions, noise)
    loader, start = [], 0
    for size in BATCHES:
        loader.append((images[start : start + size], labels[start : start + size]))
        start += size
    return images, labels, loader


def run(module, function: str, seed: int) -> dict:
    model = make_model(seed)
    images, _, loader = make_data(seed)
    modes = ModeRecorder(model)
    if function == "predict":
        value = module.predict(model, images)
    elif function == "accuracy":
        value = module.accuracy(model, loader)
    else:
        value = module.confusion_matrix(model, loader, num_classes=10)
    return {"value": value, "modes": modes.calls}

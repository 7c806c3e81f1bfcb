"""Exercise 07 - Predictions and accuracy (inference_mode, index_put_ with accumulate)."""

import torch
from torch import Tensor, nn


def predict(model: nn.Module, images: Tensor) -> Tensor:
    model.train(False)
    with torch.inference_mode():
        scores = model(images)
        return scores.max(dim=-1).indices.clone()


def accuracy(model: nn.Module, loader) -> float:
    model.eval()
    hits = seen = 0
    with torch.inference_mode():
        for images, labels in loader:
            hits += int(model(images).argmax(-1).eq(labels).sum())
            seen += int(labels.numel())
    return hits * 100.0 / seen


def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    cm = torch.zeros((num_classes, num_classes), dtype=torch.long)
    model.eval()
    with torch.no_grad():
        for images, labels in loader:
            preds = model(images).argmax(dim=1)
            ones = torch.ones_like(labels, dtype=torch.long)
            cm.index_put_((labels.long(), preds), ones, accumulate=True)
    return cm

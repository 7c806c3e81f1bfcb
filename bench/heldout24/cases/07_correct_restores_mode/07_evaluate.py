"""Exercise 07 - reuses predict, restores the caller's mode, index_put_ with accumulate."""

import torch
from torch import Tensor, nn


def predict(model: nn.Module, images: Tensor) -> Tensor:
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            scores = model(images)
        return scores.argmax(dim=-1).long()
    finally:
        model.train(was_training)


def accuracy(model: nn.Module, loader) -> float:
    right = 0
    count = 0
    for images, labels in loader:
        right += int((predict(model, images) == labels).sum())
        count += int(labels.numel())
    return right * 100.0 / count


def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    cm = torch.zeros((num_classes, num_classes), dtype=torch.long)
    for images, labels in loader:
        p = predict(model, images)
        ones = torch.ones(len(labels), dtype=torch.long)
        cm.index_put_((labels.long(), p), ones, accumulate=True)
    return cm

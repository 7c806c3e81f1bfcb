"""Exercise 07 - torch.max, index_put_ with accumulate=True, counts in Python ints."""

import torch
from torch import Tensor, nn


def predict(model: nn.Module, images: Tensor) -> Tensor:
    was_training = model.training
    model.eval()
    with torch.no_grad():
        scores = model(images)
    if was_training:
        model.train()
    return torch.max(scores, dim=1).indices.long()


def accuracy(model: nn.Module, loader) -> float:
    right = seen = 0
    for images, labels in loader:
        pred = predict(model, images)
        right += int((pred == labels).sum())
        seen += len(labels)
    return right / seen * 100


def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    cm = torch.zeros((num_classes, num_classes), dtype=torch.long)
    ones = None
    for images, labels in loader:
        pred = predict(model, images)
        ones = torch.ones(len(labels), dtype=torch.long)
        cm.index_put_((labels.long(), pred), ones, accumulate=True)
    return cm

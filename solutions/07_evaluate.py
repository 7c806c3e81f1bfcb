"""Reference: predictions and accuracy (Part 5's visualize_predictions)."""

import torch
from torch import Tensor, nn


@torch.no_grad()
def predict(model: nn.Module, images: Tensor) -> Tensor:
    model.eval()
    return model(images).argmax(dim=1)


@torch.no_grad()
def accuracy(model: nn.Module, loader) -> float:
    model.eval()
    correct, total = 0, 0
    for images, labels in loader:
        correct += (model(images).argmax(dim=1) == labels).sum().item()
        total += len(labels)
    return 100.0 * correct / total


@torch.no_grad()
def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    model.eval()
    matrix = torch.zeros(num_classes, num_classes, dtype=torch.int64)
    for images, labels in loader:
        predictions = model(images).argmax(dim=1)
        for true, pred in zip(labels.tolist(), predictions.tolist()):
            matrix[true, pred] += 1
    return matrix

"""07_evaluate: predict calls predict-per-batch helper; confusion matrix with index_put_(accumulate=True)."""

import torch
from torch import Tensor, nn


def predict(model: nn.Module, images: Tensor) -> Tensor:
    was = torch.is_grad_enabled()
    model.train(False)
    torch.set_grad_enabled(False)
    try:
        scores = model(images)
    finally:
        torch.set_grad_enabled(was)
    return torch.argmax(scores, dim=1).long()


def accuracy(model: nn.Module, loader) -> float:
    right = 0
    n = 0
    for images, labels in loader:
        right += int((predict(model, images) == labels).sum())
        n += len(labels)
    return right / n * 100.0


def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    cm = torch.zeros((num_classes, num_classes), dtype=torch.long)
    for images, labels in loader:
        preds = predict(model, images)
        cm.index_put_((labels.long(), preds), torch.ones_like(preds), accumulate=True)
    return cm

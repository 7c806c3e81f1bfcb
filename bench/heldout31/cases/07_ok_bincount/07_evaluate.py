"""Exercise 07 - inference_mode, concatenated predictions, bincount confusion matrix."""

import torch
from torch import Tensor, nn


def predict(model: nn.Module, images: Tensor) -> Tensor:
    model.eval()
    with torch.inference_mode():
        return model(images).argmax(dim=-1).to(torch.int64)


def _all_predictions(model, loader):
    preds, labels = [], []
    model.eval()
    with torch.no_grad():
        for x, y in loader:
            preds.append(model(x).argmax(1))
            labels.append(y)
    return torch.cat(preds), torch.cat(labels)


def accuracy(model: nn.Module, loader) -> float:
    p, y = _all_predictions(model, loader)
    return (p == y).double().mean().item() * 100.0


def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    p, y = _all_predictions(model, loader)
    idx = y.long() * num_classes + p.long()
    return torch.bincount(idx, minlength=num_classes * num_classes).reshape(num_classes, num_classes).to(torch.int64)

"""Exercise 07 - Predictions via inference_mode; accuracy and confusion via bincount."""

import torch
from torch import Tensor, nn


def _predictions(model, loader):
    model.eval()
    trues, preds = [], []
    with torch.inference_mode():
        for images, labels in loader:
            trues.append(torch.as_tensor(labels).long())
            preds.append(model(images).argmax(-1))
    return torch.cat(trues), torch.cat(preds)


def predict(model: nn.Module, images: Tensor) -> Tensor:
    model.eval()
    with torch.inference_mode():
        scores = model(images)
    return scores.argmax(dim=-1).clone().to(torch.int64)


def accuracy(model: nn.Module, loader) -> float:
    y, p = _predictions(model, loader)
    return (p == y).double().mean().item() * 100.0


def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    y, p = _predictions(model, loader)
    flat = torch.bincount(y * num_classes + p, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes).clone()

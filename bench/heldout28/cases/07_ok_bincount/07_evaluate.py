"""Exercise 07 - inference_mode, torch.cat, bincount."""

import torch
from torch import Tensor, nn


def predict(model: nn.Module, images: Tensor) -> Tensor:
    model.eval()
    with torch.inference_mode():
        return model(images).argmax(dim=-1).to(torch.int64)


def _all_predictions(model, loader):
    preds, targets = [], []
    for images, labels in loader:
        preds.append(predict(model, images))
        targets.append(torch.as_tensor(labels))
    return torch.cat(preds), torch.cat(targets)


def accuracy(model: nn.Module, loader) -> float:
    p, t = _all_predictions(model, loader)
    return float((p == t).float().mean().item() * 100)


def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    p, t = _all_predictions(model, loader)
    flat = torch.bincount(t * num_classes + p, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes).to(torch.int64)

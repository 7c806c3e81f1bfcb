"""Exercise 07 - inference_mode, vectorised bincount confusion matrix."""

import torch
from torch import Tensor, nn


def predict(model: nn.Module, images: Tensor) -> Tensor:
    model.eval()
    with torch.inference_mode():
        return model(images).argmax(dim=1).to(torch.int64).clone()


def _all_predictions(model, loader):
    model.eval()
    ys, ps = [], []
    with torch.no_grad():
        for images, labels in loader:
            ps.append(model(images).argmax(1))
            ys.append(labels)
    return torch.cat(ys).long(), torch.cat(ps).long()


def accuracy(model: nn.Module, loader) -> float:
    y, p = _all_predictions(model, loader)
    return (p == y).double().mean().item() * 100.0


def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    y, p = _all_predictions(model, loader)
    flat = torch.bincount(y * num_classes + p, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes).to(torch.int64)

"""07_evaluate: softmax+argmax predictions, inference_mode, concatenated accuracy, bincount confusion matrix."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def predict(model: nn.Module, images: Tensor) -> Tensor:
    model.eval()
    with torch.inference_mode():
        probs = F.softmax(model(images), dim=-1)
    return probs.argmax(dim=-1).clone()


def _all_preds(model, loader):
    model.eval()
    ys, ps = [], []
    with torch.no_grad():
        for images, labels in loader:
            ys.append(labels)
            ps.append(model(images).argmax(1))
    return torch.cat(ys), torch.cat(ps)


def accuracy(model: nn.Module, loader) -> float:
    y, p = _all_preds(model, loader)
    return (p == y).float().mean().item() * 100


def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    y, p = _all_preds(model, loader)
    flat = torch.bincount(y * num_classes + p, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes).to(torch.int64)

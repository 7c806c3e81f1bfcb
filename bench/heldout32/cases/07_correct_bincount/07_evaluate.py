import torch
from torch import Tensor, nn


def predict(model: nn.Module, images: Tensor) -> Tensor:
    was_training = model.training
    model.eval()
    with torch.no_grad():
        scores = model(images)
    return scores.argmax(dim=-1).to(torch.int64)


def accuracy(model: nn.Module, loader) -> float:
    hits, seen = 0, 0
    for images, labels in loader:
        preds = predict(model, images)
        hits += int(preds.eq(labels).sum())
        seen += int(labels.numel())
    return 100.0 * hits / seen


def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    counts = torch.zeros(num_classes * num_classes, dtype=torch.int64)
    for images, labels in loader:
        preds = predict(model, images)
        flat = labels.long() * num_classes + preds
        counts += torch.bincount(flat, minlength=num_classes * num_classes)
    return counts.view(num_classes, num_classes)

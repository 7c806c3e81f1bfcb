import torch
from torch import Tensor, nn


def predict(model: nn.Module, images: Tensor) -> Tensor:
    model.eval()
    with torch.no_grad():
        outputs = model(images)
    return outputs.argmax(dim=1)


def accuracy(model: nn.Module, loader) -> float:
    model.eval()
    correct = 0
    total = 0
    with torch.no_grad():
        for images, labels in loader:
            preds = model(images).argmax(dim=1)
            correct += (preds == labels).sum().item()
            total += labels.size(0)
    return 100.0 * correct / total


def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    model.eval()
    cm = torch.zeros(num_classes, num_classes, dtype=torch.int64)
    with torch.no_grad():
        for images, labels in loader:
            preds = model(images).argmax(dim=1)
            for t, p in zip(labels.tolist(), preds.tolist()):
                cm[p, t] += 1
    return cm

import torch
from torch import Tensor, nn


def predict(model: nn.Module, images: Tensor) -> Tensor:
    model.eval()
    with torch.no_grad():
        outputs = model(images)
        _, predicted = torch.max(outputs, 1)
    return predicted.long()


def accuracy(model: nn.Module, loader) -> float:
    model.eval()
    correct = 0
    total = 0
    with torch.no_grad():
        for images, labels in loader:
            outputs = model(images)
            _, predicted = torch.max(outputs, 1)
            correct += (predicted == labels).sum().item()
            total += labels.size(0)
    return 100.0 * correct / total


def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    matrix = torch.zeros(10, 10, dtype=torch.int64)
    for images, labels in loader:
        predicted = predict(model, images)
        for t, p in zip(labels.tolist(), predicted.tolist()):
            matrix[t, p] += 1
    return matrix

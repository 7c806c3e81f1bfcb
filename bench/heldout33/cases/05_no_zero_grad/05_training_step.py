import torch
from torch import Tensor, nn


def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:
    model.train()
    outputs = model(images)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def sgd_step(parameters, lr: float) -> None:
    with torch.no_grad():
        for p in parameters:
            if p.grad is not None:
                p -= lr * p.grad


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    params = dict(model.named_parameters())
    for p in params.values():
        p.grad = None
    loss = criterion(model(images), labels)
    loss.backward()
    grads = {}
    for name, p in params.items():
        if p.grad is None:
            grads[name] = torch.zeros_like(p)
        else:
            grads[name] = p.grad.detach().clone()
    return grads


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    total_loss = 0.0
    correct = 0
    n = 0
    model.train()
    for images, labels in loader:
        optimizer.zero_grad()
        outputs = model(images)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        b = labels.size(0)
        total_loss += loss.item() * b
        correct += (outputs.argmax(dim=1) == labels).sum().item()
        n += b
    return total_loss / n, 100.0 * correct / n

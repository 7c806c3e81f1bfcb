import torch
from torch import Tensor, nn


def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:
    model.train()
    optimizer.zero_grad()
    outputs = model(images)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def sgd_step(parameters, lr: float) -> None:
    with torch.no_grad():
        for p in parameters:
            if p.grad is None:
                continue
            p -= lr * p.grad


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    model.zero_grad(set_to_none=True)
    outputs = model(images)
    loss = criterion(outputs, labels)
    loss.backward()
    grads = {}
    for name, p in model.named_parameters():
        if p.grad is None:
            grads[name] = torch.zeros_like(p).detach()
        else:
            grads[name] = p.grad.detach().clone()
    model.zero_grad(set_to_none=True)
    return grads


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    model.train()
    total_loss = 0.0
    correct = 0
    total = 0
    for images, labels in loader:
        optimizer.zero_grad()
        outputs = model(images)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * labels.size(0)
        _, predicted = torch.max(outputs, 1)
        correct += (predicted == labels).sum().item()
        total += labels.size(0)
    return total_loss / total, correct / total

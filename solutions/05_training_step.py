"""Reference: one step of learning (Part 3)."""

import torch
from torch import Tensor, nn


def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:
    model.train()
    optimizer.zero_grad()
    loss = criterion(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


@torch.no_grad()
def sgd_step(parameters, lr: float) -> None:
    for p in parameters:
        if p.grad is not None:
            p -= lr * p.grad


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    model.zero_grad(set_to_none=True)
    criterion(model(images), labels).backward()
    grads = {
        name: (p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p))
        for name, p in model.named_parameters()
    }
    model.zero_grad(set_to_none=True)
    return grads


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    model.train()
    total_loss, correct, seen = 0.0, 0, 0
    for images, labels in loader:
        optimizer.zero_grad()
        outputs = model(images)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(labels)
        correct += (outputs.argmax(dim=1) == labels).sum().item()
        seen += len(labels)
    return total_loss / seen, 100.0 * correct / seen

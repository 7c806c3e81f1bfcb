"""Exercise 05 - One step of learning; SGD through .data, gradients via zero_grad and clone."""

import torch
from torch import Tensor, nn


def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:
    model.train()
    optimizer.zero_grad()
    loss = criterion(model(images), labels)
    value = loss.item()
    loss.backward()
    optimizer.step()
    return value


def sgd_step(parameters, lr: float) -> None:
    for param in list(parameters):
        grad = param.grad
        if grad is not None:
            param.data.add_(-lr * grad.data)


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    for p in model.parameters():
        p.grad = None
    criterion(model(images), labels).backward()
    out = {}
    for name, p in model.named_parameters():
        out[name] = p.grad.clone() if p.grad is not None else p.detach().new_zeros(p.shape)
    return out


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    model.train()
    losses, sizes, correct = [], [], 0
    for images, labels in loader:
        optimizer.zero_grad()
        logits = model(images)
        loss = criterion(logits, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        sizes.append(labels.numel())
        _, predicted = torch.max(logits, 1)
        correct += (predicted == labels).sum().item()
    n = sum(sizes)
    mean_loss = sum(l * s for l, s in zip(losses, sizes)) / n
    return mean_loss, 100.0 * correct / n

"""Exercise 05 - set_to_none, .data updates, torch.autograd.grad."""

import torch
from torch import Tensor, nn


def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:
    model.train(True)
    optimizer.zero_grad(set_to_none=True)
    loss = criterion(model(images), labels)
    loss.backward()
    optimizer.step()
    return float(loss.detach())


def sgd_step(parameters, lr: float) -> None:
    for p in parameters:
        if p.grad is None:
            continue
        p.data.add_(p.grad.data, alpha=-lr)
    return None


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    named = list(model.named_parameters())
    loss = criterion(model(images), labels)
    grads = torch.autograd.grad(loss, [p for _, p in named], allow_unused=True)
    return {name: (torch.zeros_like(p) if g is None else g.detach().clone())
            for (name, p), g in zip(named, grads)}


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    loss_sum, hits, seen = 0.0, 0, 0
    model.train()
    for images, labels in loader:
        optimizer.zero_grad()
        scores = model(images)
        loss = criterion(scores, labels)
        loss.backward()
        optimizer.step()
        loss_sum += float(loss.detach()) * len(labels)
        hits += int((scores.detach().max(1).indices == labels).sum())
        seen += len(labels)
    return loss_sum / seen, hits * 100 / seen

"""Exercise 05 - torch.autograd.grad, .data updates, epoch built on train_step."""

import torch
from torch import Tensor, nn


def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:
    model.train()
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


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    named = list(model.named_parameters())
    loss = criterion(model(images), labels)
    grads = torch.autograd.grad(loss, [p for _, p in named], allow_unused=True)
    return {name: (torch.zeros_like(p) if g is None else g).detach().clone()
            for (name, p), g in zip(named, grads)}


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    model.train()
    loss_sum, hits, count = 0.0, 0, 0
    for images, labels in loader:
        optimizer.zero_grad()
        logits = model(images)
        loss = criterion(logits, labels)
        loss.backward()
        optimizer.step()
        loss_sum += float(loss) * len(labels)
        hits += int(torch.sum(torch.max(logits.detach(), 1).indices == labels))
        count += len(labels)
    return loss_sum / count, hits / count * 100

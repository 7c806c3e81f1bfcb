"""Exercise 05 - One step of learning (explicit loops, sub_ under no_grad)."""

import torch
from torch import Tensor, nn


def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:
    model.train()
    optimizer.zero_grad()
    outputs = model(images)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()
    return float(loss.item())


@torch.no_grad()
def sgd_step(parameters, lr: float) -> None:
    for p in parameters:
        grad = p.grad
        if grad is None:
            continue
        p.sub_(grad * lr)
    return None


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    for p in model.parameters():
        if p.grad is not None:
            p.grad.detach_()
            p.grad.zero_()
    outputs = model(images)
    criterion(outputs, labels).backward()
    grads = {}
    for name, p in model.named_parameters():
        grads[name] = torch.zeros_like(p) if p.grad is None else p.grad.clone()
        grads[name] = grads[name].detach()
    return grads


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    losses, sizes, hits = [], [], []
    for images, labels in loader:
        model.train()
        optimizer.zero_grad()
        outputs = model(images)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        sizes.append(labels.shape[0])
        hits.append((outputs.argmax(1) == labels).sum().item())
    n = sum(sizes)
    mean_loss = sum(l * s for l, s in zip(losses, sizes)) / n
    return mean_loss, 100.0 * sum(hits) / n

"""Exercise 05 - train_epoch reuses a shared helper; sgd with torch.no_grad decorator and sub_."""

import torch
from torch import Tensor, nn


def _step(model, images, labels, optimizer, criterion):
    model.train()
    optimizer.zero_grad()
    outputs = model(images)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()
    return loss.item(), outputs.detach()


def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:
    loss, _ = _step(model, images, labels, optimizer, criterion)
    return loss


@torch.no_grad()
def sgd_step(parameters, lr: float) -> None:
    for p in parameters:
        if p.grad is not None:
            p.sub_(lr * p.grad)


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    for p in model.parameters():
        p.grad = None
    criterion(model(images), labels).backward()
    out = {}
    for name, p in model.named_parameters():
        g = p.grad if p.grad is not None else torch.zeros_like(p)
        out[name] = g.detach().clone()
    for p in model.parameters():
        p.grad = None
    return out


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    losses, sizes, correct = [], [], 0
    for images, labels in loader:
        loss, outputs = _step(model, images, labels, optimizer, criterion)
        losses.append(loss)
        sizes.append(labels.numel())
        correct += (outputs.argmax(1) == labels).sum().item()
    n = sum(sizes)
    mean_loss = sum(l * s for l, s in zip(losses, sizes)) / n
    return mean_loss, 100 * correct / n

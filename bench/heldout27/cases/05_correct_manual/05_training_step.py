"""05_training_step: foreach-style updates, grads cleared by setting .grad = None, tensors accumulated."""

import torch
from torch import Tensor, nn


def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:
    model.train(True)
    optimizer.zero_grad()
    loss = criterion(model(images), labels)
    value = loss.item()
    loss.backward()
    optimizer.step()
    return value


@torch.no_grad()
def sgd_step(parameters, lr: float) -> None:
    params = [p for p in parameters if p.grad is not None]
    for p in params:
        p.sub_(lr * p.grad)


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    saved = {}
    for name, p in model.named_parameters():
        p.grad = None
    criterion(model(images), labels).backward()
    for name, p in model.named_parameters():
        saved[name] = p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p).detach()
        p.grad = None
    return saved


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    losses = []
    sizes = []
    correct = torch.tensor(0)
    for images, labels in loader:
        model.train()
        optimizer.zero_grad()
        out = model(images)
        loss = criterion(out, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        sizes.append(labels.shape[0])
        correct += (out.argmax(1) == labels).sum()
    n = sum(sizes)
    mean_loss = sum(l * s for l, s in zip(losses, sizes)) / n
    return mean_loss, 100.0 * correct.item() / n

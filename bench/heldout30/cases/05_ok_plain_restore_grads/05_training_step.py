"""Exercise 05 - one step of learning, written out plainly with tensors accumulated."""

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
    for p in parameters:
        g = p.grad
        if g is not None:
            p.sub_(lr * g)


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    saved = {name: (None if p.grad is None else p.grad.clone()) for name, p in model.named_parameters()}
    for p in model.parameters():
        p.grad = None
    criterion(model(images), labels).backward()
    grads = {}
    for name, p in model.named_parameters():
        grads[name] = p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p.detach())
    for name, p in model.named_parameters():  # put the caller's gradients back
        p.grad = saved[name]
    return grads


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    model.train()
    losses = []
    sizes = []
    correct = torch.tensor(0)
    for x, y in loader:
        optimizer.zero_grad()
        out = model(x)
        loss = criterion(out, y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        sizes.append(y.shape[0])
        correct += (out.max(dim=1).indices == y).sum()
    n = sum(sizes)
    mean_loss = sum(l * s for l, s in zip(losses, sizes)) / n
    return mean_loss, 100.0 * correct.item() / n

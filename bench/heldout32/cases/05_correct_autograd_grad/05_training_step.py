import torch
from torch import Tensor, nn


def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:
    model.train(True)
    optimizer.zero_grad(set_to_none=False)
    loss = criterion(model(images), labels)
    loss.backward()
    optimizer.step()
    return float(loss.detach())


def sgd_step(parameters, lr: float) -> None:
    for p in parameters:
        if p.grad is not None:
            p.data.sub_(lr * p.grad.data)


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    named = list(model.named_parameters())
    loss = criterion(model(images), labels)
    params = [p for _, p in named]
    grads = torch.autograd.grad(loss, params, allow_unused=True)
    result = {}
    for (name, p), g in zip(named, grads):
        result[name] = torch.zeros_like(p) if g is None else g.detach().clone()
    return result


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    losses, sizes, hits = [], [], 0
    for images, labels in loader:
        model.train()
        optimizer.zero_grad()
        outputs = model(images)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        sizes.append(len(labels))
        hits += int((outputs.argmax(dim=1) == labels).sum())
    n = sum(sizes)
    mean_loss = sum(l * s for l, s in zip(losses, sizes)) / n
    return mean_loss, hits * 100.0 / n

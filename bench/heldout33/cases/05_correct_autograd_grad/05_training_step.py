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


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    named = list(model.named_parameters())
    loss = criterion(model(images), labels)
    wanted = [p for _, p in named if p.requires_grad]
    grads = torch.autograd.grad(loss, wanted, allow_unused=True)
    by_id = {id(p): g for p, g in zip(wanted, grads)}
    result = {}
    for name, p in named:
        g = by_id.get(id(p))
        result[name] = torch.zeros_like(p).detach() if g is None else g.detach().clone()
    return result


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    loss_sum = torch.zeros(())
    hits = 0
    seen = 0
    for images, labels in loader:
        model.train()
        optimizer.zero_grad()
        logits = model(images)
        loss = criterion(logits, labels)
        loss.backward()
        optimizer.step()
        loss_sum += loss.detach() * len(labels)
        _, pred = torch.max(logits.detach(), 1)
        hits += int((pred == labels).sum())
        seen += len(labels)
    return float(loss_sum) / seen, hits * 100.0 / seen

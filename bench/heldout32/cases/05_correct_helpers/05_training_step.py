import torch
from torch import Tensor, nn


def _forward_backward(model, images, labels, optimizer, criterion):
    model.train()
    optimizer.zero_grad()
    outputs = model(images)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()
    return outputs.detach(), loss.item()


def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:
    _, loss = _forward_backward(model, images, labels, optimizer, criterion)
    return loss


@torch.no_grad()
def sgd_step(parameters, lr: float) -> None:
    for p in list(parameters):
        if p.grad is None:
            continue
        p.add_(p.grad, alpha=-lr)


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    for p in model.parameters():
        p.grad = None
    criterion(model(images), labels).backward()
    grads = {
        name: (p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p.detach()))
        for name, p in model.named_parameters()
    }
    for p in model.parameters():
        p.grad = None
    return grads


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    loss_sum = 0.0
    n_correct = 0
    n_seen = 0
    for images, labels in loader:
        outputs, loss = _forward_backward(model, images, labels, optimizer, criterion)
        b = labels.shape[0]
        loss_sum += loss * b
        n_correct += (outputs.max(1).indices == labels).sum().item()
        n_seen += b
    return loss_sum / n_seen, 100 * n_correct / n_seen

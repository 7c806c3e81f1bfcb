import torch
from torch import Tensor, nn


def _forward_backward(model, images, labels, criterion):
    outputs = model(images)
    loss = criterion(outputs, labels)
    loss.backward()
    return outputs, loss


def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:
    model.train()
    optimizer.zero_grad()
    _, loss = _forward_backward(model, images, labels, criterion)
    optimizer.step()
    return loss.item()


@torch.no_grad()
def sgd_step(parameters, lr: float) -> None:
    for p in list(parameters):
        if p.grad is not None:
            p.sub_(lr * p.grad)


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    saved = {n: p.grad for n, p in model.named_parameters()}
    model.zero_grad(set_to_none=True)
    _forward_backward(model, images, labels, criterion)
    out = {n: (p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p.detach()))
           for n, p in model.named_parameters()}
    for n, p in model.named_parameters():  # put the caller's gradients back
        p.grad = saved[n]
    return out


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    losses, sizes, correct = [], [], 0
    for images, labels in loader:
        model.train()
        optimizer.zero_grad()
        outputs, loss = _forward_backward(model, images, labels, criterion)
        optimizer.step()
        losses.append(loss.item())
        sizes.append(labels.shape[0])
        correct += outputs.argmax(-1).eq(labels).sum().item()
    n = sum(sizes)
    mean_loss = sum(l * s for l, s in zip(losses, sizes)) / n
    return mean_loss, 100 * correct / n

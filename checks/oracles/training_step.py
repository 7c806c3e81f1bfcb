"""Oracle for exercise 05, in the pytest process only: the inputs the checks send (drawn from a
seed), what a correct step gives, and what each classic mistake gives, so that a mistake is
named only when it reproduces the learner's numbers."""

from __future__ import annotations

import torch
from torch import nn

from grader.checking.submission import load_driver

driver = load_driver("training_step")  # the same module the checks use
LR = 0.1
VARIANTS = (
    "correct",
    "no_zero_grad",
    "zero_grad_after_backward",
    "step_before_backward",
    "eval_mode",
    "softmax_before_loss",
    "no_backward",
)


def make_setup(seed: int, batch: int = 6, norm: bool = True) -> dict:
    """Parameters and buffers, two batches, and gradients left over from an earlier step. Without
    `norm` (for compute_gradients, whose spec leaves the mode open) the model has no batch norm."""
    gen = torch.Generator().manual_seed(seed)
    model = driver.SmallNet(norm)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.3)
        if norm:
            model.norm.running_mean.copy_(torch.randn(2, generator=gen) * 0.1)
            model.norm.running_var.copy_(torch.rand(2, generator=gen) + 0.5)
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    batches = [
        (torch.randn(batch, 1, 8, 8, generator=gen), torch.randint(0, 3, (batch,), generator=gen))
        for _ in range(2)
    ]
    stale = {name: torch.randn(p.shape, generator=gen) for name, p in model.named_parameters()}
    return {"state": state, "batches": batches, "stale": stale}


def _state(model: nn.Module) -> dict:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def train_steps(setup: dict, batches: list, *, stale: bool, start_eval: bool, variant: str) -> dict:
    """What train_step, or one of its classic mistakes, does over `batches` in turn."""
    model = driver.build(setup["state"], setup["stale"] if stale else None, train=not start_eval)
    optimizer = driver.PlainSGD(model.parameters(), LR)
    losses = []
    for images, labels in batches:
        if variant != "eval_mode":
            model.train()
        if variant not in ("no_zero_grad", "zero_grad_after_backward", "step_before_backward"):
            optimizer.zero_grad()
        scores = model(images)
        if variant == "softmax_before_loss":  # probabilities where the loss wants logits
            scores = scores.softmax(dim=1)
        loss = nn.functional.cross_entropy(scores, labels)
        if variant == "no_backward":
            optimizer.step()
        elif variant == "step_before_backward":
            optimizer.zero_grad()
            optimizer.step()
            loss.backward()
        else:
            loss.backward()
            if variant == "zero_grad_after_backward":
                optimizer.zero_grad()
            optimizer.step()
        losses.append(loss.item())
    return {"losses": losses, "state": _state(model)}


def sgd_expected(setup: dict, sign: float = -1.0) -> dict:
    """Parameters after plain SGD from the stale gradients (`sign` +1: the flipped update)."""
    state = dict(setup["state"])
    for name, grad in setup["stale"].items():
        if name != "unused":
            state[name] = state[name] + sign * LR * grad
    return state


def gradients(setup: dict) -> dict:
    images, labels = setup["batches"][0]
    model = driver.build(setup["state"])
    nn.functional.cross_entropy(model(images), labels).backward()
    return {
        n: (p.grad.clone() if p.grad is not None else torch.zeros_like(p))
        for n, p in model.named_parameters()
    }


def epoch_batches(seed: int) -> list:
    gen = torch.Generator().manual_seed(seed + 7)
    images = torch.randn(10, 1, 8, 8, generator=gen)
    labels = torch.randint(0, 3, (10,), generator=gen)
    return [(images[i : i + 4], labels[i : i + 4]) for i in range(0, 10, 4)]  # 4, 4 and 2


def train_epoch(setup: dict, batches: list) -> dict:
    model = driver.build(setup["state"])
    optimizer = driver.PlainSGD(model.parameters(), LR)
    weighted, batch_means, correct, seen = 0.0, [], 0, 0
    for images, labels in batches:
        optimizer.zero_grad()
        outputs = model(images)
        loss = nn.functional.cross_entropy(outputs, labels)
        loss.backward()
        optimizer.step()
        weighted += loss.item() * len(labels)
        batch_means.append(loss.item())
        correct += (outputs.argmax(1) == labels).sum().item()
        seen += len(labels)
    return {
        "loss": weighted / seen,
        "mean_of_batch_means": sum(batch_means) / len(batch_means),
        "accuracy": 100.0 * correct / seen,
        "state": _state(model),
    }

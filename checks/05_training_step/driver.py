"""Driver for exercise 05, run in the worker: it builds the model from the state the checks send,
calls the learner's function, and returns the parameters and buffers afterwards as plain tensors.

It holds no expected value: what a correct step gives is computed in oracle.py, which never
enters the worker. The model has batch norm, so the mode it trained in shows in its values.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from grader.wire.probe_tools import plain_state

# What the learner wrote that each driver function calls: messages name it, not the driver.
LEARNER = {
    "run_train_step": "train_step",
    "run_sgd_step": "sgd_step",
    "run_compute_gradients": "compute_gradients",
    "run_train_epoch": "train_epoch",
}


class SmallNet(nn.Module):
    def __init__(self, norm: bool = True) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        # batch statistics in training mode, running ones in eval: the mode shows in the values
        self.norm = nn.BatchNorm2d(2) if norm else nn.Identity()
        self.fc = nn.Linear(2 * 6 * 6, 3)
        self.unused = nn.Parameter(torch.ones(3))  # the loss does not depend on it

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(F.relu(self.norm(self.conv(x))), 1))


class PlainSGD:
    """Plain SGD with the optimizer interface train_step uses (zero_grad, step, param_groups).

    The same numbers as torch.optim.SGD without momentum, without the second of machinery an
    optimizer's first step imports, on both sides of the worker.
    """

    def __init__(self, params, lr: float) -> None:
        self.param_groups = [{"params": list(params), "lr": lr}]

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.param_groups[0]["params"]:
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.detach_()
                p.grad.zero_()

    @torch.no_grad()
    def step(self) -> None:
        group = self.param_groups[0]
        for p in group["params"]:
            if p.grad is not None:
                p -= group["lr"] * p.grad


def build(state: dict, grads: dict | None = None, train: bool = True) -> SmallNet:
    """The model with the given parameters and buffers (and gradients left from before)."""
    model = SmallNet(norm="norm.weight" in state)
    model.load_state_dict(state)
    for name, p in model.named_parameters():
        p.grad = grads[name].clone() if grads and name in grads else None
    return model.train(train)


def run_train_step(
    module, state: dict, batches: list, grads: dict | None, start_eval: bool, lr: float
) -> dict:
    """train_step on each batch in turn, with one optimizer (a second step meets the first's
    gradients, as in a training loop)."""
    model = build(state, grads, train=not start_eval)
    optimizer = PlainSGD(model.parameters(), lr)
    losses = [
        module.train_step(model, images, labels, optimizer, nn.CrossEntropyLoss())
        for images, labels in batches
    ]
    return {"values": losses, "state": plain_state(model)}


def run_sgd_step(module, state: dict, grads: dict, lr: float, as_generator: bool) -> dict:
    """sgd_step on a model with gradients; `aliases` share the parameters' storage from before
    the call, so they show whether the update happened in place."""
    model = build(state, grads)
    model.unused.grad = None
    names = tuple(name for name, _ in model.named_parameters())
    aliases = tuple(p.detach() for p in model.parameters())  # a tuple: nothing to swap entries in
    parameters = model.parameters() if as_generator else list(model.parameters())
    value = module.sgd_step(parameters, lr)
    return {
        "value": value,
        "state": plain_state(model),
        "aliases": {name: a.clone() for name, a in zip(names, aliases)},
    }


def run_compute_gradients(module, state: dict, images, labels, grads: dict | None) -> dict:
    """compute_gradients, its answer copied at once and again after the model's .grad tensors are
    zeroed in place: an answer that is those tensors themselves changes."""
    model = build(state, grads)
    result = module.compute_gradients(model, images, labels, nn.CrossEntropyLoss())
    copied = _copy(result)
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p.grad.zero_()
    return {"result": copied, "after_zeroing": _copy(result), "state": plain_state(model)}


def _copy(value):
    if isinstance(value, dict):
        return {
            k: v.detach().clone() if isinstance(v, torch.Tensor) else v for k, v in value.items()
        }
    return value


def run_train_epoch(module, state: dict, batches: list, lr: float) -> dict:
    """Starts in evaluation mode: train_epoch has train_step's semantics, training mode included."""
    model = build(state, train=False)
    optimizer = PlainSGD(model.parameters(), lr)
    value = module.train_epoch(model, batches, optimizer, nn.CrossEntropyLoss())
    return {"value": value, "state": plain_state(model)}

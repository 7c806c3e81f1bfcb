"""Trusted probes for exercise 05. `make_setup` builds the same model, data and stale
gradients in the worker and in the pytest process, so the checks can compute what a
correct step gives (and what each classic mistake gives) without trusting the worker."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from grader.worker.probe_tools import ModeRecorder, plain_state

LR = 0.1


class SmallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        self.fc = nn.Linear(2 * 6 * 6, 3)
        self.unused = nn.Parameter(torch.ones(3))  # the loss does not depend on it

    def forward(self, x):
        return self.fc(torch.flatten(F.relu(self.conv(x)), 1))


class PlainSGD:
    """Plain SGD with the optimizer interface train_step uses (zero_grad, step, param_groups).

    The same numbers as torch.optim.SGD without momentum, but without the ~1 s of torch
    machinery that an optimizer's first step imports, on both sides of the worker.
    """

    def __init__(self, params, lr: float = LR):
        self.param_groups = [{"params": list(params), "lr": lr}]

    def zero_grad(self, set_to_none: bool = True):
        for p in self.param_groups[0]["params"]:
            p.grad = None if set_to_none else (p.grad.zero_() if p.grad is not None else None)

    @torch.no_grad()
    def step(self):
        group = self.param_groups[0]
        for p in group["params"]:
            if p.grad is not None:
                p -= group["lr"] * p.grad


def make_setup(seed: int, batch: int = 6):
    gen = torch.Generator().manual_seed(seed)
    model = SmallNet()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.3)
    images = torch.randn(batch, 1, 8, 8, generator=gen)
    labels = torch.randint(0, 3, (batch,), generator=gen)
    stale = {name: torch.randn(p.shape, generator=gen) for name, p in model.named_parameters()}
    return model, images, labels, stale


def _give_stale_grads(model, stale):
    for name, p in model.named_parameters():
        p.grad = stale[name].clone()


# -- run in the worker ---------------------------------------------------------------------


def run_train_step(module, seed: int, stale: bool, start_eval: bool) -> dict:
    model, images, labels, stale_grads = make_setup(seed)
    if stale:
        _give_stale_grads(model, stale_grads)
    if start_eval:
        model.eval()
    optimizer = PlainSGD(model.parameters())
    events: list[str] = []
    for owner, method in ((optimizer, "zero_grad"), (optimizer, "step"), (model, "zero_grad")):
        original = getattr(owner, method)

        def recording(*args, _original=original, _name=method, **kwargs):
            events.append(_name)
            return _original(*args, **kwargs)

        setattr(owner, method, recording)
    model.fc.weight.register_hook(lambda grad: events.append("backward"))
    modes = ModeRecorder(model)
    value = module.train_step(model, images, labels, optimizer, nn.CrossEntropyLoss())
    return {"value": value, "params": plain_state(model), "events": events, "forward": modes.calls}


def run_sgd_step(module, seed: int, as_generator: bool) -> dict:
    model, _, _, grads = make_setup(seed)
    _give_stale_grads(model, grads)
    model.unused.grad = None
    storage = {name: p.data_ptr() for name, p in model.named_parameters()}
    parameters = model.parameters() if as_generator else list(model.parameters())
    value = module.sgd_step(parameters, LR)
    return {
        "value": value,
        "params": plain_state(model),
        "same_storage": {n: p.data_ptr() == storage[n] for n, p in model.named_parameters()},
        "history": {n: p.grad_fn is not None for n, p in model.named_parameters()},
    }


def run_compute_gradients(module, seed: int, stale: bool) -> dict:
    model, images, labels, stale_grads = make_setup(seed)
    if stale:
        _give_stale_grads(model, stale_grads)
    result = module.compute_gradients(model, images, labels, nn.CrossEntropyLoss())
    facts = {"result": result, "params": plain_state(model)}
    if isinstance(result, dict):
        grads = dict(model.named_parameters())
        facts["requires_grad"] = {
            str(k): bool(getattr(v, "requires_grad", False)) for k, v in result.items()
        }
        facts["aliases_grad"] = {
            str(k): isinstance(v, torch.Tensor)
            and k in grads
            and grads[k].grad is not None
            and v.data_ptr() == grads[k].grad.data_ptr()
            for k, v in result.items()
        }
    return facts


def make_epoch_data(seed: int):
    gen = torch.Generator().manual_seed(seed + 7)
    images = torch.randn(10, 1, 8, 8, generator=gen)
    labels = torch.randint(0, 3, (10,), generator=gen)
    return [(images[i : i + 4], labels[i : i + 4]) for i in range(0, 10, 4)]  # batches 4, 4, 2


def run_train_epoch(module, seed: int) -> dict:
    model, _, _, _ = make_setup(seed)
    optimizer = PlainSGD(model.parameters())
    value = module.train_epoch(model, make_epoch_data(seed), optimizer, nn.CrossEntropyLoss())
    return {"value": value, "params": plain_state(model)}


# -- run in the pytest process: what correct code and the classic mistakes produce ---------


def expected_train_step(seed: int, stale: bool, variant: str = "correct") -> dict:
    model, images, labels, stale_grads = make_setup(seed)
    if stale:
        _give_stale_grads(model, stale_grads)
    optimizer = PlainSGD(model.parameters())
    model.train()
    if variant == "correct":
        optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(images), labels)
    if variant == "step_before_backward":
        optimizer.zero_grad()
        optimizer.step()
        loss.backward()
    else:
        loss.backward()
        if variant == "zero_grad_after_backward":
            optimizer.zero_grad()
        optimizer.step()
    return {"loss": loss.item(), "params": plain_state(model)}


def expected_gradients(seed: int) -> dict:
    model, images, labels, _ = make_setup(seed)
    nn.functional.cross_entropy(model(images), labels).backward()
    return {
        n: (p.grad.clone() if p.grad is not None else torch.zeros_like(p))
        for n, p in model.named_parameters()
    }


def expected_train_epoch(seed: int) -> dict:
    model, _, _, _ = make_setup(seed)
    optimizer = PlainSGD(model.parameters())
    weighted, batch_means, correct, seen = 0.0, [], 0, 0
    for images, labels in make_epoch_data(seed):
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
        "params": plain_state(model),
    }

"""Driver for exercise 07, run in the worker: a model with batch norm and dropout, handed over in
training mode with the parameters, images and labels the checks send; it returns the learner's
answer and the model's state afterwards (evaluating in training mode moves the running
statistics). It holds no expected value: the reference does, in the pytest process.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

# What the learner wrote that each driver function calls: messages name it, not the driver.
LEARNER = {"run": "{0}"}  # run("predict", ...) calls predict

# Taken from torch's C type when this driver loads, before the learner's file: a file that
# patches torch.Tensor (its requires_grad, add_, clone) at import cannot change these.
_ZERO = torch.zeros(())
_CLONE, _ADD_ = torch._C.TensorBase.clone, torch._C.TensorBase.add_
_REQUIRES_GRAD_ = torch._C.TensorBase.requires_grad_
_SET_GRAD_ENABLED = torch._C._set_grad_enabled
_ITEM = torch._C.TensorBase.item


class GradTripwire(nn.Module):
    """Changes a leaf tensor that requires grad in place at every forward: autograd refuses that
    while it records (in C++, whatever Python says about the grad mode), and allows it under
    torch.no_grad() or torch.inference_mode()."""

    def __init__(self) -> None:
        super().__init__()
        self.counter = _REQUIRES_GRAD_(_CLONE(_ZERO), True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _ADD_(self.counter, 1.0)
        return x


class ForwardCounter(nn.Module):
    """Counts the forwards of the model it heads (a buffer, through a C function taken before
    student code): eval-mode points need the model that was handed over to have been run."""

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("count", torch.zeros((), dtype=torch.int64))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _ADD_(self.count, 1)
        return x


def build(state: dict | None, tripwire: bool = False) -> nn.Sequential:
    """The model in training mode, with `state` (None: freshly initialised)."""
    layers = [
        ForwardCounter(),
        nn.Flatten(),
        nn.Linear(16, 12),
        nn.BatchNorm1d(12),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(12, 10),
    ]
    model = nn.Sequential(*layers)
    if state is not None:
        model.load_state_dict(state)
    if tripwire:
        model.insert(0, GradTripwire())
    return model.train()  # as a model arrives straight from training


def loader(batches: list) -> DataLoader:
    """A DataLoader that yields exactly `batches`, in order, over one TensorDataset of their
    samples: code written for the tutorial's loaders (len(loader.dataset), the number of
    samples) runs on it as on any other."""
    starts = [sum(len(y) for _, y in batches[:i]) for i in range(len(batches))]
    indices = [list(range(a, a + len(y))) for a, (_, y) in zip(starts, batches)]
    samples = TensorDataset(torch.cat([x for x, _ in batches]), torch.cat([y for _, y in batches]))
    return DataLoader(samples, batch_sampler=indices)


def run(module, function: str, state: dict, images, batches: list, tripwire: bool = False) -> dict:
    """Call predict(model, images), accuracy(model, batches) or confusion_matrix(model, batches,
    num_classes=10) (or with its default, or num_classes=13)."""
    model = build(state, tripwire)
    # a caller's code records by default; torch.no_grad() inside build() restores the mode
    # through torch.is_grad_enabled, which a learner's file may have patched
    _SET_GRAD_ENABLED(True)
    batches = loader(batches)
    if function == "predict":
        value = module.predict(model, images)
    elif function == "accuracy":
        value = module.accuracy(model, batches)
    elif function == "confusion_matrix":
        value = module.confusion_matrix(model, batches, num_classes=10)
    elif function == "confusion_matrix_default":
        value = module.confusion_matrix(model, batches)
    else:  # "confusion_matrix_13": more classes than any label or prediction
        value = module.confusion_matrix(model, batches, num_classes=13)
    counter = model[1] if tripwire else model[0]
    forwards = int(_ITEM(counter.count))
    after = {k: v.detach().clone() for k, v in model.state_dict().items() if "count" not in k}
    return {"value": value, "state": after, "forwards": forwards}

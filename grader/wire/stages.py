"""Each named layer's output, in the order forward calls them (run in the worker on the learner's
model, and in the pytest process on the reference's): the stages at which two models with the
same parameters can be compared. Plain tensors only, bounded in number and size."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

MAX_STAGES = 24
MAX_VALUES = 400_000  # values kept over all stages: a stage beyond them is named without values


def stage_outputs(model: nn.Module, names: list[str], images: torch.Tensor) -> dict[str, Any]:
    """{"stages": [[name, output or None], ...] in call order, "output": forward's result}: a
    forward hook on each named layer (a layer reached under two names is hooked once)."""
    calls: list[list[Any]] = []
    budget = [MAX_VALUES]
    handles, hooked = [], set()
    for name in names:
        layer = getattr(model, name, None)
        if isinstance(layer, nn.Module) and id(layer) not in hooked:
            hooked.add(id(layer))
            handles.append(layer.register_forward_hook(_recorder(name, calls, budget)))
    try:
        with torch.no_grad():
            output = model(images)
    finally:
        for handle in handles:
            handle.remove()
    return {"stages": calls, "output": output.detach() if type(output) is torch.Tensor else None}


def _recorder(name: str, calls: list, budget: list[int]):
    def record(_module, _inputs, output) -> None:
        if len(calls) >= MAX_STAGES:
            return
        if type(output) is torch.Tensor and output.numel() <= budget[0]:
            budget[0] -= output.numel()
            calls.append([name, output.detach().clone()])
        else:
            calls.append([name, None])

    return record

"""Lazily initialised layers (nn.LazyLinear, nn.LazyConv2d, any module whose parameters exist
only after a first forward): one forward pass on a sample gives them their parameters, before
anything counts, describes or loads them."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.parameter import UninitializedBuffer, UninitializedParameter


def is_lazy(model: nn.Module) -> bool:
    """Some parameter or buffer of `model` does not exist yet."""
    lazy = (UninitializedParameter, UninitializedBuffer)
    return any(isinstance(t, lazy) for t in [*model.parameters(), *model.buffers()])


def materialised(model: nn.Module, sample: torch.Tensor) -> nn.Module:
    """`model`, after one forward pass on `sample` (in evaluation mode, without gradients, its
    modes restored) when it has lazy parameters; as it was otherwise."""
    if not is_lazy(model):
        return model
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        with torch.no_grad():
            model(sample)
    finally:
        for module, mode in modes:
            module.training = mode
    return model

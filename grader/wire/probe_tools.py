"""Helpers the drivers (`checks/NN_<id>/driver.py`, run in the worker) and the checks share: they
turn live objects (layers, models) into plain data that can cross to the pytest process."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn


def describe_layer(layer: Any) -> Any:
    """A layer's type and configuration as plain data; None when the attribute is missing."""
    if layer is None:
        return None
    if isinstance(layer, nn.Conv2d):
        return (
            "Conv2d",
            layer.in_channels,
            layer.out_channels,
            tuple(layer.kernel_size),
            tuple(layer.stride),
            tuple(layer.padding) if not isinstance(layer.padding, str) else layer.padding,
            layer.bias is not None,
        )
    if isinstance(layer, nn.MaxPool2d):  # 2 and (2, 2) are one pooling: compared as pairs
        return ("MaxPool2d", _pair(layer.kernel_size), _pair(layer.stride))
    if isinstance(layer, nn.Linear):
        return ("Linear", layer.in_features, layer.out_features, layer.bias is not None)
    return (type(layer).__name__,)


def _pair(value: Any) -> Any:
    return (value, value) if isinstance(value, int) else tuple(value)


def describe_layers(model: nn.Module, names: list[str]) -> dict[str, Any]:
    return {name: describe_layer(getattr(model, name, None)) for name in names}


def plain_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """The model's parameters and buffers as plain, detached tensors."""
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def without_aliases(state: Any, wanted: Any) -> Any:
    """`state` cut to the keys of `wanted` when every other key holds a copy of one of those
    tensors: a layer also reached through an nn.Sequential (self.features = nn.Sequential(
    self.conv1, ...)) appears in a state_dict under both names. Anything else is left as it is,
    for load_state_dict to refuse."""
    if not isinstance(state, dict) or not all(k in state for k in wanted):
        return state
    kept = {k: state[k] for k in wanted}
    for key, value in state.items():
        if key in kept:
            continue
        same = any(
            type(value) is torch.Tensor
            and type(v) is torch.Tensor
            and v.shape == value.shape
            and torch.equal(v, value)
            for v in kept.values()
        )
        if not same:
            return state
    return kept


def load_with_aliases(model: nn.Module, state: dict[str, torch.Tensor]) -> None:
    """Load `state` (the spec's keys) into `model`, whose state_dict may name one tensor twice (a
    layer also kept in an nn.Sequential): each missing alias takes the value of its original."""
    named = model.state_dict(keep_vars=True)
    full = dict(state)
    for key, value in named.items():
        if key not in full:
            original = next((k for k in state if k in named and named[k] is value), None)
            if original is not None:
                full[key] = state[original]
    model.load_state_dict(full)


def load_spec_state(model: nn.Module, state: Any) -> str:
    """Load a learner's `state` (aliases dropped) into the spec's `model`: "" once loaded, else
    why it does not fit (load_state_dict's words)."""
    try:
        model.load_state_dict(without_aliases(state, model.state_dict()))
    except RuntimeError as exc:
        return str(exc)
    return ""

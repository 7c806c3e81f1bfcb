"""Two models' structures compared from their parameters' names and shapes (a state_dict's),
said in words once ("fc has 3 outputs, expected 10"; "conv2 takes 8 channels, expected 4")
instead of load_state_dict's list of size mismatches."""

from __future__ import annotations

from typing import Any

import torch

MAX_SAID = 4


def shapes(state: Any) -> dict[str, tuple[int, ...]] | None:
    """{name: shape} of a state_dict of plain tensors; None for anything else."""
    if not isinstance(state, dict) or not all(
        isinstance(k, str) and type(v) is torch.Tensor for k, v in state.items()
    ):
        return None
    return {k: tuple(v.shape) for k, v in state.items()}


def _layers(state: dict[str, tuple]) -> dict[str, dict[str, tuple]]:
    layers: dict[str, dict[str, tuple]] = {}
    for key, shape in state.items():
        layer, _, part = key.rpartition(".")
        layers.setdefault(layer or "the model", {})[part] = tuple(shape)
    return layers


def _name(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _weights(layer: str, got: tuple, want: tuple) -> list[str]:
    """A Linear's (out, in) or a Conv2d's (out, in, kh, kw) weights of different shapes."""
    if len(got) != len(want) or len(want) not in (2, 4):
        return [f"{layer}.weight has shape {got}, expected {want}"]
    unit = "outputs" if len(want) == 2 else "output channels"
    taken = "inputs" if len(want) == 2 else "channels"
    said = []
    if got[0] != want[0]:
        said.append(f"{layer} has {got[0]} {unit}, expected {want[0]}")
    if got[1] != want[1]:
        said.append(f"{layer} takes {got[1]} {taken}, expected {want[1]}")
    if got[2:] != want[2:]:
        said.append(
            f"{layer} has a {'x'.join(map(str, got[2:]))} kernel, expected "
            f"{'x'.join(map(str, want[2:]))}"
        )
    return said


def _layer(layer: str, got: dict[str, tuple], want: dict[str, tuple]) -> list[str]:
    said = []
    if "weight" in got and "weight" in want and got["weight"] != want["weight"]:
        said += _weights(layer, got["weight"], want["weight"])
    for part in sorted(want.keys() - got.keys()):
        said.append(f"{layer} has no {part}" + (", expected one" if part == "bias" else ""))
    for part in sorted(got.keys() - want.keys()):
        said.append(f"{layer} has a {_name(part)} the spec's does not")
    for part in sorted(got.keys() & want.keys()):
        if part != "weight" and got[part] != want[part] and not said:
            said.append(f"{layer}.{part} has shape {got[part]}, expected {want[part]}")
    return said


def differences(got: dict[str, tuple], want: dict[str, tuple]) -> list[str]:
    """Each way the learner's layers (`got`, from names and shapes) differ from `want`'s, in the
    order of `want`'s layers, then the learner's extra ones; [] when they are the same."""
    mine, spec = _layers(got), _layers(want)
    said = []
    for layer in spec:
        if layer not in mine:
            said.append(f"{layer} is missing")
        else:
            said += _layer(layer, mine[layer], spec[layer])
    for layer in mine:
        if layer not in spec:
            said.append(f"{_name(layer)} is a layer the spec does not have")
    return said


def summary(said: list[str]) -> str:
    """At most MAX_SAID differences in one sentence."""
    shown = "; ".join(said[:MAX_SAID])
    more = len(said) - MAX_SAID
    return shown + (f"; and {more} more difference{'s' * (more > 1)}" if more > 0 else "")

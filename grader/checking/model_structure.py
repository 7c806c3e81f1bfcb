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


def _size(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        if len(set(value)) == 1:
            return str(value[0])
        return "x".join(map(str, value))
    return str(value)


def _kernel(value: Any) -> str:
    return "x".join(map(str, value)) if isinstance(value, (tuple, list)) else f"{value}x{value}"


def _described(name: str, got: tuple, want: tuple) -> list[str]:
    """Conv2d (in, out, kernel, stride, padding, bias) and Linear (in, out, bias) settings."""
    if want[0] == "Linear":
        fields = (("takes {} inputs", 1), ("has {} outputs", 2))
        bias = 3
    else:
        fields = (
            ("takes {} channels", 1),
            ("has {} output channels", 2),
            ("has a {} kernel", 3),
            ("has stride {}", 4),
            ("has padding={}", 5),
        )
        bias = 6
    said = []
    for words, i in fields:
        if got[i] != want[i]:
            size = _kernel if "kernel" in words else _size
            said.append(
                f"{name} {words.format(size(got[i]))}, expected {size(want[i])}"
                if "padding" not in words
                else f"{name} has padding={size(got[i])}, expected padding={size(want[i])}"
            )
    if got[bias] != want[bias]:
        said.append(f"{name} has a bias, expected none" if got[bias] else f"{name} has no bias")
    return said


def layer_differences(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """How described layers (grader.wire.probe_tools.describe_layers: plain tuples) differ, in
    words: "fc has 3 outputs, expected 10"; [] when they are the same."""
    said: list[str] = []
    for name, wanted in want.items():
        mine = got.get(name) if isinstance(got, dict) else None
        if mine == wanted:
            continue
        if wanted is None:
            said.append(f"there is a {name}, expected none")
        elif mine is None:
            said.append(f"there is no {name}")
        elif not isinstance(mine, (tuple, list)) or not mine or mine[0] != wanted[0]:
            kind = mine[0] if isinstance(mine, (tuple, list)) and mine else "something else"
            said.append(f"{name} is a {kind}, expected a {wanted[0]}")
        elif wanted[0] in ("Conv2d", "Linear") and len(mine) == len(wanted):
            said += _described(name, tuple(mine), tuple(wanted))
        else:
            said.append(f"{name} is {tuple(mine)}, expected {tuple(wanted)}")
    return said

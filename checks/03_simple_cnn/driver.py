"""Driver for exercise 03 (run in the worker): SimpleCNNs built, their layers and outputs."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from grader.wire.lazy import materialised
from grader.wire.probe_tools import describe_layers, load_with_aliases, plain_state
from grader.wire.stages import stage_outputs

# What the learner wrote that each driver function calls: messages name it, not the driver.
LEARNER = {
    "layers": "SimpleCNN()",
    "forward": "SimpleCNN's forward",
    "forward_with": "SimpleCNN's forward",
    "trace": "trace_shapes",
    "trace_own": "trace_shapes",
    "stages": "SimpleCNN's forward",
}

LAYERS = ["conv1", "pool", "conv2", "fc1", "fc2"]


class TrustedSimpleCNN(nn.Module):
    """The tutorial's SimpleCNN, so that trace_shapes is checked on a model known to be right."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(4, 8, 3, padding=1)
        self.fc1 = nn.Linear(392, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


def _built(module) -> torch.nn.Module:
    """The learner's SimpleCNN, its lazy layers (if any) given parameters by a first forward."""
    return materialised(module.SimpleCNN(), torch.zeros(1, 1, 28, 28))


def layers(module) -> dict:
    return describe_layers(_built(module), LAYERS)


def forward(module, images: torch.Tensor) -> dict:
    model = _built(module)
    return {"state": plain_state(model), "output": model(images).detach()}


def trace(module, batch: int) -> list:
    return module.trace_shapes(TrustedSimpleCNN(), torch.randn(batch, 1, 28, 28))


def trace_own(module, attribute: str, state: dict, images: torch.Tensor) -> dict:
    """trace_shapes on the learner's own SimpleCNN carrying the grader's parameters, when the
    grader's model lacks an attribute the learner's has: its layers and output come back too,
    for the grading process to verify that this model is the spec's."""
    model = _built(module)
    if not hasattr(model, attribute):
        return {"has": False}
    layers = describe_layers(model, LAYERS)
    try:
        load_with_aliases(model, state)
    except RuntimeError:  # parameters of other shapes: its layers say how it differs
        return {"has": True, "layers": layers}
    with torch.no_grad():
        output = model(images).detach()
    return {
        "has": True,
        "layers": layers,
        "output": output,
        "trace": module.trace_shapes(model, images),
    }


def forward_with(module, state: dict, images: torch.Tensor) -> torch.Tensor:
    """The learner's SimpleCNN with the given parameters (a handout's recorded ones) on images."""
    model = _built(module)
    load_with_aliases(model, state)
    return model(images).detach()


def stages(module, state: dict, images: torch.Tensor) -> dict:
    """The learner's SimpleCNN with the parameters the checks chose: each named layer's output."""
    model = _built(module)
    load_with_aliases(model, state)
    return stage_outputs(model, LAYERS, images)

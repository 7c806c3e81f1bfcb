"""Driver for exercise 04 (run in the worker): TinyCNNs built, their layers and outputs."""

from __future__ import annotations

import torch

from grader.wire.lazy import materialised
from grader.wire.probe_tools import describe_layers, load_with_aliases, plain_state
from grader.wire.stages import stage_outputs

# What the learner wrote that each driver function calls: messages name it, not the driver.
LEARNER = {
    "layers": "TinyCNN(...)",
    "forward": "TinyCNN's forward",
    "forward_with": "TinyCNN's forward",
    "variants": "make_variants",
    "signature": "TinyCNN(...)",
    "stages": "TinyCNN's forward",
}

LAYERS = ["conv", "conv2", "fc"]
CONFIGS = [
    {},
    {"num_filters": 8},
    {"kernel_size": 5},
    {"use_relu": False},
    {"extra_conv_filters": 6},
    {
        "num_filters": 2,
        "kernel_size": 5,
        "extra_conv_filters": 4,
        "use_relu": False,
        "image_size": 12,
    },
    {"num_filters": 4, "kernel_size": 1, "image_size": 10},
    # conv2 exists for every extra_conv_filters > 0, the smallest ones included; an even kernel
    {"extra_conv_filters": 1},
    {"num_filters": 1, "kernel_size": 2, "extra_conv_filters": 2, "image_size": 7},
]


def _built(module, config: dict) -> torch.nn.Module:
    """The learner's TinyCNN(**config), its lazy layers (if any) given parameters by a forward."""
    side = config.get("image_size", 28)
    return materialised(module.TinyCNN(**config), torch.zeros(1, 1, side, side))


def layers(module, config: dict) -> dict:
    model = _built(module, config)
    return {"layers": describe_layers(model, LAYERS), "has_conv2": hasattr(model, "conv2")}


def forward(module, config: dict, images: torch.Tensor) -> dict:
    model = _built(module, config)
    return {"state": plain_state(model), "output": model(images).detach()}


def forward_with(module, config: dict, state: dict, images: torch.Tensor) -> torch.Tensor:
    """The learner's TinyCNN(**config) with the given parameters (a handout's recorded ones)."""
    model = _built(module, config)
    load_with_aliases(model, state)
    return model(images).detach()


def variants(module) -> dict:
    models = module.make_variants()
    if not isinstance(models, dict):
        return {"type": type(models).__name__}
    for m in models.values():  # lazy layers get their parameters before they are described
        if isinstance(m, torch.nn.Module):
            materialised(m, torch.zeros(1, 1, 28, 28))
    return {
        "type": "dict",
        "models": {
            str(name): {
                "class": type(m).__name__,
                "layers": describe_layers(m, LAYERS),
                "use_relu_output": _relu_signature(m),
            }
            for name, m in models.items()
        },
    }


def signature(module, config: dict) -> torch.Tensor:
    """The learner's own TinyCNN(**config) on the fixed input of `_relu_signature`."""
    return _relu_signature(_built(module, config))


def _relu_signature(model) -> torch.Tensor:
    """The model's output with every weight set to a fixed pattern: tells ReLU from no ReLU."""
    materialised(model, torch.zeros(1, 1, 28, 28))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.linspace(-1, 1, p.numel()).view_as(p))
        return model(torch.linspace(-1, 1, 28 * 28).view(1, 1, 28, 28))


def stages(module, config: dict, state: dict, images: torch.Tensor) -> dict:
    """The learner's TinyCNN(**config) with the parameters the checks chose: each named layer's
    output."""
    model = _built(module, config)
    load_with_aliases(model, state)
    return stage_outputs(model, LAYERS, images)

"""Driver for exercise 02: the models, built alike in the worker and in the checks."""

from __future__ import annotations

from torch import nn

# What the learner wrote that each driver function calls: messages name it, not the driver.
LEARNER = {"count_on": "count_parameters"}


class TwoHeads(nn.Module):
    """head_b.weight is head_a.weight: one parameter reachable from two layers."""

    def __init__(self):
        super().__init__()
        self.head_a = nn.Linear(20, 6)
        self.head_b = nn.Linear(20, 6, bias=False)
        self.head_b.weight = self.head_a.weight


def build(name: str) -> nn.Module:
    if name == "plain":
        return nn.Sequential(nn.Conv2d(1, 5, 3), nn.ReLU(), nn.Flatten(), nn.Linear(5 * 26 * 26, 7))
    if name == "shared":
        return TwoHeads()
    if name == "batchnorm":
        return nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(4, 2))
    if name == "frozen":
        model = nn.Sequential(nn.Linear(10, 8), nn.ReLU(), nn.Linear(8, 3))
        for p in model[0].parameters():
            p.requires_grad_(False)
        return model
    raise ValueError(name)


def count_on(module, name: str):
    return module.count_parameters(build(name))

"""Exercise 03 - math-based sizes, nn.Flatten, and a table-driven trace."""

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def _check(out: int) -> int:
    if out < 1:
        raise ValueError(f"output size {out} is below 1")
    return out


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    return _check(math.floor((size + 2 * padding - kernel_size) / stride) + 1)


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    return conv_output_size(size, kernel_size, stride=kernel_size if stride is None else stride, padding=0)


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=4, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(in_channels=4, out_channels=8, kernel_size=3, padding=1)
        self.fc1 = nn.Linear(392, 64)
        self.fc2 = nn.Linear(64, 10)
        self.flatten = nn.Flatten()
        self.relu = nn.ReLU()

    def stages(self):
        return [
            ("conv1", self.conv1), ("relu1", self.relu), ("pool1", self.pool),
            ("conv2", self.conv2), ("relu2", self.relu), ("pool2", self.pool),
            ("flatten", self.flatten), ("fc1", self.fc1), ("relu3", self.relu), ("fc2", self.fc2),
        ]

    def forward(self, x: Tensor) -> Tensor:
        for _, stage in self.stages():
            x = stage(x)
        return x


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    result = []
    for name, stage in model.stages():
        x = stage(x)
        result.append((name, tuple(int(d) for d in x.shape)))
    return result

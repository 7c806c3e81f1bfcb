"""Exercise 03 - SimpleCNN with a table of stages shared by forward and trace_shapes."""

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    out = math.floor((size + 2 * padding - kernel_size) / stride) + 1
    if out < 1:
        raise ValueError(f"kernel {kernel_size} does not fit in size {size} with padding {padding}")
    return int(out)


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    return conv_output_size(size, kernel_size, kernel_size if stride is None else stride, 0)


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=4, kernel_size=(3, 3), padding=(1, 1))
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.conv2 = nn.Conv2d(in_channels=4, out_channels=8, kernel_size=3, stride=1, padding=1)
        self.fc1 = nn.Linear(in_features=392, out_features=64)
        self.fc2 = nn.Linear(in_features=64, out_features=10)

    def stages(self):
        return [
            ("conv1", self.conv1), ("relu1", F.relu), ("pool1", self.pool),
            ("conv2", self.conv2), ("relu2", F.relu), ("pool2", self.pool),
            ("flatten", lambda t: torch.flatten(t, start_dim=1)),
            ("fc1", self.fc1), ("relu3", F.relu), ("fc2", self.fc2),
        ]

    def forward(self, x: Tensor) -> Tensor:
        for _, stage in self.stages():
            x = stage(x)
        return x


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    out = []
    for name, stage in model.stages() if hasattr(model, "stages") else SimpleCNN.stages(model):
        x = stage(x)
        out.append((name, tuple(int(d) for d in x.shape)))
    return out

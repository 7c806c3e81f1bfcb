"""Exercise 03 - stage list drives both forward and trace."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def _check(out: int) -> int:
    if out < 1:
        raise ValueError(f"output size would be {out}")
    return out


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    return _check((size + 2 * padding - kernel_size) // stride + 1)


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    s = kernel_size if stride is None else stride
    return _check((size - kernel_size) // s + 1)


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=4, kernel_size=3, stride=1, padding=1)
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.conv2 = nn.Conv2d(in_channels=4, out_channels=8, kernel_size=3, stride=1, padding=1)
        self.fc1 = nn.Linear(392, 64)
        self.fc2 = nn.Linear(64, 10)

    def stages(self):
        return [("conv1", self.conv1), ("relu1", torch.relu), ("pool1", self.pool),
                ("conv2", self.conv2), ("relu2", torch.relu), ("pool2", self.pool),
                ("flatten", lambda t: torch.flatten(t, 1)), ("fc1", self.fc1),
                ("relu3", torch.relu), ("fc2", self.fc2)]

    def forward(self, x: Tensor) -> Tensor:
        for _, f in self.stages():
            x = f(x)
        return x


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    result = []
    for name, f in model.stages():
        x = f(x)
        result.append((name, tuple(int(d) for d in x.shape)))
    return result

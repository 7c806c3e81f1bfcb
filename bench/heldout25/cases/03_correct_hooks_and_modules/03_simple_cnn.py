"""Exercise 03 - The SimpleCNN with module activations and a hook-free stage table."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def _check(out: int) -> int:
    if out < 1:
        raise ValueError("output size would be %d (below 1)" % out)
    return out


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    return _check(int((size + 2 * padding - kernel_size) // stride) + 1)


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    stride = kernel_size if stride is None else stride
    return _check((size - kernel_size) // stride + 1)


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(4, 8, 3, padding=1)
        self.fc1 = nn.Linear(8 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)
        self.act = nn.ReLU()
        self.flatten = nn.Flatten()

    def stages(self):
        return [("conv1", self.conv1), ("relu1", self.act), ("pool1", self.pool),
                ("conv2", self.conv2), ("relu2", self.act), ("pool2", self.pool),
                ("flatten", self.flatten), ("fc1", self.fc1), ("relu3", self.act), ("fc2", self.fc2)]

    def forward(self, x: Tensor) -> Tensor:
        for _, stage in self.stages():
            x = stage(x)
        return x


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    names = ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2"]
    layers = [model.conv1, F.relu, model.pool, model.conv2, F.relu, model.pool,
              lambda t: t.flatten(1), model.fc1, F.relu, model.fc2]
    result = []
    for name, layer in zip(names, layers):
        x = layer(x)
        result.append((name, tuple(x.size())))
    return result

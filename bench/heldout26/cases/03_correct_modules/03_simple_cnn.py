"""Exercise 03 - nn.ReLU / nn.Flatten modules and a generic trace."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    span = size + 2 * padding - kernel_size
    if span < 0:
        raise ValueError("kernel does not fit")
    return span // stride + 1


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    if stride is None:
        stride = kernel_size
    if size < kernel_size:
        raise ValueError("pooling window larger than input")
    return (size - kernel_size) // stride + 1


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, 1, 1)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 8, 3, 1, 1)
        self.fc1 = nn.Linear(392, 64)
        self.fc2 = nn.Linear(64, 10)
        self.act = nn.ReLU()
        self.flat = nn.Flatten()

    def stages(self):
        return [("conv1", self.conv1), ("relu1", self.act), ("pool1", self.pool),
                ("conv2", self.conv2), ("relu2", self.act), ("pool2", self.pool),
                ("flatten", self.flat), ("fc1", self.fc1), ("relu3", self.act), ("fc2", self.fc2)]

    def forward(self, x: Tensor) -> Tensor:
        for _, f in self.stages():
            x = f(x)
        return x


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    names = ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2"]
    fns = [model.conv1, F.relu, model.pool, model.conv2, F.relu, model.pool,
           lambda t: t.flatten(1), model.fc1, F.relu, model.fc2]
    result = []
    with torch.no_grad():
        for name, fn in zip(names, fns):
            x = fn(x)
            result.append((name, tuple(x.size())))
    return result

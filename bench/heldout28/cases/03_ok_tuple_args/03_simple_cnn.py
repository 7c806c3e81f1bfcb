"""Exercise 03 - tuple-valued layer arguments, math.floor, nn.Flatten."""

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    out = math.floor((size + 2 * padding - kernel_size) / stride) + 1
    if out <= 0:
        raise ValueError("kernel does not fit")
    return int(out)


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    stride = stride or kernel_size
    out = math.floor((size - kernel_size) / stride) + 1
    if not out >= 1:
        raise ValueError("pool window does not fit")
    return int(out)


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, (3, 3), padding=(1, 1))
        self.pool = nn.MaxPool2d((2, 2), (2, 2))
        self.conv2 = nn.Conv2d(4, 8, (3, 3), padding=(1, 1))
        self.fc1 = nn.Linear(8 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)
        self.flatten = nn.Flatten()

    def forward(self, x: Tensor) -> Tensor:
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        return self.fc2(torch.relu(self.fc1(self.flatten(x))))


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    names = ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2"]
    fns = [model.conv1, F.relu, model.pool, model.conv2, F.relu, model.pool,
           lambda t: t.reshape(t.shape[0], -1), model.fc1, F.relu, model.fc2]
    shapes = []
    for f in fns:
        x = f(x)
        shapes.append(tuple(x.size()))
    return list(zip(names, shapes))

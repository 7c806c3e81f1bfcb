"""Exercise 03 - SimpleCNN, pooling before the ReLU in forward (max-pool and ReLU commute)."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    span = size + 2 * padding - kernel_size
    if span < 0:
        raise ValueError("output size would be below 1")
    return span // stride + 1


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    if stride is None:
        stride = kernel_size
    n = 0
    start = 0
    while start + kernel_size <= size:
        n += 1
        start += stride
    if n < 1:
        raise ValueError("pooling window larger than the input")
    return n


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 8, 3, padding=1)
        self.fc1 = nn.Linear(392, 64)
        self.fc2 = nn.Linear(64, 10)
        self.flatten = nn.Flatten()

    def forward(self, x: Tensor) -> Tensor:
        x = torch.relu(self.pool(self.conv1(x)))
        x = torch.relu(self.pool(self.conv2(x)))
        x = self.flatten(x)
        return self.fc2(torch.relu(self.fc1(x)))


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    names = ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2"]
    fns = [model.conv1, torch.relu, model.pool, model.conv2, torch.relu, model.pool,
           lambda t: t.reshape(t.shape[0], -1), model.fc1, torch.relu, model.fc2]
    shapes = []
    for fn in fns:
        x = fn(x)
        shapes.append(tuple(x.shape))
    return list(zip(names, shapes))

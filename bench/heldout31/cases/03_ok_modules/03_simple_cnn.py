"""Exercise 03 - nn.ReLU/nn.Flatten modules, reshape, and sizes via a shared helper."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def _window_count(size, kernel_size, stride, padding):
    n = (size + 2 * padding - kernel_size) // stride + 1
    if n < 1:
        raise ValueError("output size would be below 1")
    return n


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    return _window_count(size, kernel_size, stride, padding)


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    return _window_count(size, kernel_size, stride or kernel_size, 0)


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

    def forward(self, x: Tensor) -> Tensor:
        x = self.pool(self.act(self.conv1(x)))
        x = self.pool(self.act(self.conv2(x)))
        x = x.reshape(x.shape[0], 8 * 7 * 7)
        x = self.act(self.fc1(x))
        return self.fc2(x)


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    out = []

    def rec(name, t):
        out.append((name, tuple(t.size())))
        return t

    x = rec("conv1", model.conv1(x))
    x = rec("relu1", x.clamp(min=0))
    x = rec("pool1", F.max_pool2d(x, 2, 2))
    x = rec("conv2", model.conv2(x))
    x = rec("relu2", x.clamp(min=0))
    x = rec("pool2", F.max_pool2d(x, 2, 2))
    x = rec("flatten", x.reshape(len(x), -1))
    x = rec("fc1", model.fc1(x))
    x = rec("relu3", x.clamp(min=0))
    rec("fc2", model.fc2(x))
    return out

"""Exercise 03 - The SimpleCNN, with math-based sizes and an explicit trace."""

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    padded = size + 2 * padding
    if padded < kernel_size:
        raise ValueError(f"kernel {kernel_size} does not fit in {padded} pixels")
    return math.floor((padded - kernel_size) / stride) + 1


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    # a max-pool is sized like a convolution without padding
    return conv_output_size(size, kernel_size, kernel_size if stride is None else stride, 0)


class SimpleCNN(nn.Module):
    def __init__(self):
        super(SimpleCNN, self).__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=4, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.conv2 = nn.Conv2d(in_channels=4, out_channels=8, kernel_size=3, padding=1)
        self.fc1 = nn.Linear(in_features=392, out_features=64)
        self.fc2 = nn.Linear(in_features=64, out_features=10)

    def forward(self, x: Tensor) -> Tensor:
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        x = torch.flatten(x, start_dim=1)
        return self.fc2(torch.relu(self.fc1(x)))


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    trace = []

    def rec(name, t):
        trace.append((name, tuple(int(d) for d in t.shape)))
        return t

    x = rec("conv1", model.conv1(x))
    x = rec("relu1", torch.relu(x))
    x = rec("pool1", model.pool(x))
    x = rec("conv2", model.conv2(x))
    x = rec("relu2", torch.relu(x))
    x = rec("pool2", model.pool(x))
    x = rec("flatten", x.reshape(x.shape[0], -1))
    x = rec("fc1", model.fc1(x))
    x = rec("relu3", torch.relu(x))
    rec("fc2", model.fc2(x))
    return trace

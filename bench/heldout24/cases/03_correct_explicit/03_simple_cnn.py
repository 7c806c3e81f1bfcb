"""Exercise 03 - explicit checks, torch.flatten, a trace that does not rely on helper methods."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    effective = size + 2 * padding
    if effective < kernel_size:
        raise ValueError("kernel larger than the padded input")
    return (effective - kernel_size) // stride + 1


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    step = stride or kernel_size
    if size < kernel_size:
        raise ValueError("pooling window larger than the input")
    return (size - kernel_size) // step + 1


class SimpleCNN(nn.Module):
    def __init__(self):
        super(SimpleCNN, self).__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, 1, 1)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(4, 8, 3, 1, 1)
        self.fc1 = nn.Linear(8 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x: Tensor) -> Tensor:
        x = F.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = F.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = torch.flatten(x, start_dim=1)
        x = torch.relu(self.fc1(x))
        return self.fc2(x)


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    out = []

    def record(name, t):
        out.append((name, tuple(t.shape)))
        return t

    x = record("conv1", model.conv1(x))
    x = record("relu1", F.relu(x))
    x = record("pool1", model.pool(x))
    x = record("conv2", model.conv2(x))
    x = record("relu2", F.relu(x))
    x = record("pool2", model.pool(x))
    x = record("flatten", x.reshape(x.shape[0], -1))
    x = record("fc1", model.fc1(x))
    x = record("relu3", F.relu(x))
    record("fc2", model.fc2(x))
    return out

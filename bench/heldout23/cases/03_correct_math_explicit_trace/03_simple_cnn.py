"""Exercise 03 - The SimpleCNN and its shapes (math.floor, nn.Flatten, an explicit trace)."""

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    result = math.floor((size + 2 * padding - kernel_size) / stride) + 1
    if result < 1:
        raise ValueError(f"kernel {kernel_size} does not fit a side of {size} (padding {padding})")
    return int(result)


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    step = kernel_size if stride is None else stride
    result = math.floor((size - kernel_size) / step) + 1
    if result < 1:
        raise ValueError(f"pool window {kernel_size} does not fit a side of {size}")
    return int(result)


class SimpleCNN(nn.Module):
    def __init__(self):
        super(SimpleCNN, self).__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=4, kernel_size=(3, 3), padding=(1, 1))
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(in_channels=4, out_channels=8, kernel_size=3, stride=1, padding=1)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(in_features=392, out_features=64)
        self.fc2 = nn.Linear(in_features=64, out_features=10)

    def forward(self, x: Tensor) -> Tensor:
        x = self.conv1(x).relu()
        x = self.pool(x)
        x = self.pool(torch.relu(self.conv2(x)))
        x = self.flatten(x)
        return self.fc2(self.fc1(x).clamp(min=0))


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    out = []
    x = model.conv1(x)
    out.append(("conv1", tuple(x.size())))
    x = F.relu(x)
    out.append(("relu1", tuple(x.size())))
    x = model.pool(x)
    out.append(("pool1", tuple(x.size())))
    x = model.conv2(x)
    out.append(("conv2", tuple(x.size())))
    x = F.relu(x)
    out.append(("relu2", tuple(x.size())))
    x = model.pool(x)
    out.append(("pool2", tuple(x.size())))
    x = x.reshape(x.shape[0], -1)
    out.append(("flatten", tuple(x.size())))
    x = model.fc1(x)
    out.append(("fc1", tuple(x.size())))
    x = F.relu(x)
    out.append(("relu3", tuple(x.size())))
    x = model.fc2(x)
    out.append(("fc2", tuple(x.size())))
    return [(name, tuple(int(d) for d in shape)) for name, shape in out]

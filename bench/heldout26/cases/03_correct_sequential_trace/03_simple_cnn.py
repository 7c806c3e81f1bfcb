"""Exercise 03 - math.floor sizes, relu after pool (same result), explicit trace."""

import math
import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    out = math.floor((size + 2 * padding - kernel_size) / stride) + 1
    if out <= 0:
        raise ValueError(f"output size {out} < 1")
    return int(out)


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    s = kernel_size if stride is None else stride
    return conv_output_size(size, kernel_size, stride=s, padding=0)


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=4, kernel_size=(3, 3), stride=1, padding=1)
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.conv2 = nn.Conv2d(in_channels=4, out_channels=8, kernel_size=(3, 3), stride=1, padding=1)
        self.fc1 = nn.Linear(392, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x: Tensor) -> Tensor:
        x = F.relu(self.pool(self.conv1(x)))  # max-pool and ReLU commute
        x = F.relu(self.pool(self.conv2(x)))
        x = torch.flatten(x, start_dim=1)
        return self.fc2(F.relu(self.fc1(x)))


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    out = []
    x = model.conv1(x); out.append(("conv1", tuple(x.shape)))
    x = torch.relu(x); out.append(("relu1", tuple(x.shape)))
    x = model.pool(x); out.append(("pool1", tuple(x.shape)))
    x = model.conv2(x); out.append(("conv2", tuple(x.shape)))
    x = torch.relu(x); out.append(("relu2", tuple(x.shape)))
    x = model.pool(x); out.append(("pool2", tuple(x.shape)))
    x = x.reshape(x.shape[0], -1); out.append(("flatten", tuple(x.shape)))
    x = model.fc1(x); out.append(("fc1", tuple(x.shape)))
    x = torch.relu(x); out.append(("relu3", tuple(x.shape)))
    x = model.fc2(x); out.append(("fc2", tuple(x.shape)))
    return [(n, tuple(int(d) for d in s)) for n, s in out]

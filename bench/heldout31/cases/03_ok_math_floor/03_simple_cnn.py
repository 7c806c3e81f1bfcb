"""Exercise 03 - sizes with math.floor, flatten via torch.flatten, trace via a stage table."""

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    result = math.floor((size + 2 * padding - kernel_size) / stride) + 1
    if result < 1:
        raise ValueError(f"kernel {kernel_size} does not fit in size {size} with padding {padding}")
    return int(result)


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    s = kernel_size if stride is None else stride
    return conv_output_size(size, kernel_size, stride=s, padding=0)


class SimpleCNN(nn.Module):
    def __init__(self):
        super(SimpleCNN, self).__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=4, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.conv2 = nn.Conv2d(in_channels=4, out_channels=8, kernel_size=3, padding=1)
        self.fc1 = nn.Linear(in_features=392, out_features=64)
        self.fc2 = nn.Linear(in_features=64, out_features=10)

    def forward(self, x: Tensor) -> Tensor:
        for conv in (self.conv1, self.conv2):
            x = self.pool(torch.relu(conv(x)))
        x = torch.flatten(x, start_dim=1)
        return self.fc2(torch.relu(self.fc1(x)))


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    stages = [
        ("conv1", model.conv1), ("relu1", F.relu), ("pool1", model.pool),
        ("conv2", model.conv2), ("relu2", F.relu), ("pool2", model.pool),
        ("flatten", lambda t: torch.flatten(t, 1)),
        ("fc1", model.fc1), ("relu3", F.relu), ("fc2", model.fc2),
    ]
    result = []
    for name, stage in stages:
        x = stage(x)
        result.append((name, tuple(int(d) for d in x.shape)))
    return result

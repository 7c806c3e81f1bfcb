"""Reference: the tutorial's SimpleCNN and its shapes (Part 2)."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    out = (size + 2 * padding - kernel_size) // stride + 1
    if out < 1:
        raise ValueError(f"a {kernel_size}-wide kernel does not fit in size {size} with padding {padding}")
    return out


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    out = (size - kernel_size) // (stride or kernel_size) + 1
    if out < 1:
        raise ValueError(f"a {kernel_size}-wide pool window does not fit in size {size}")
    return out


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.conv2 = nn.Conv2d(4, 8, kernel_size=3, padding=1)
        self.fc1 = nn.Linear(8 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x: Tensor) -> Tensor:
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    stages = [
        ("conv1", model.conv1), ("relu1", F.relu), ("pool1", model.pool),
        ("conv2", model.conv2), ("relu2", F.relu), ("pool2", model.pool),
        ("flatten", lambda t: torch.flatten(t, 1)),
        ("fc1", model.fc1), ("relu3", F.relu), ("fc2", model.fc2),
    ]
    shapes = []
    for name, stage in stages:
        x = stage(x)
        shapes.append((name, tuple(x.shape)))
    return shapes

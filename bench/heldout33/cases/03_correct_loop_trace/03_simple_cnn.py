import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    span = size + 2 * padding - kernel_size
    if span < 0:
        raise ValueError(f"kernel {kernel_size} does not fit in {size} + 2*{padding}")
    return math.floor(span / stride) + 1


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    s = kernel_size if stride is None else stride
    if size < kernel_size:
        raise ValueError("pooling window larger than the input")
    return (size - kernel_size) // s + 1


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=4, kernel_size=(3, 3), padding=(1, 1))
        self.pool = nn.MaxPool2d(kernel_size=2)
        self.conv2 = nn.Conv2d(in_channels=4, out_channels=8, kernel_size=(3, 3), padding=(1, 1))
        self.fc1 = nn.Linear(392, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x: Tensor) -> Tensor:
        # max-pool and ReLU commute: relu(pool(x)) == pool(relu(x))
        x = F.relu(self.pool(self.conv1(x)))
        x = F.relu(self.pool(self.conv2(x)))
        x = torch.flatten(x, start_dim=1)
        return self.fc2(F.relu(self.fc1(x)))


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    stages = [
        ("conv1", model.conv1), ("relu1", torch.relu), ("pool1", model.pool),
        ("conv2", model.conv2), ("relu2", torch.relu), ("pool2", model.pool),
        ("flatten", lambda t: t.flatten(1)), ("fc1", model.fc1), ("relu3", torch.relu),
        ("fc2", model.fc2),
    ]
    out = []
    for name, fn in stages:
        x = fn(x)
        out.append((name, tuple(int(d) for d in x.shape)))
    return out

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def _check(n: int) -> int:
    if n < 1:
        raise ValueError(f"output size {n} is below 1")
    return n


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    return _check((size + 2 * padding - kernel_size) // stride + 1)


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    if stride is None:
        stride = kernel_size
    return _check((size - kernel_size) // stride + 1)


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, 1, 1)
        self.conv2 = nn.Conv2d(4, 8, 3, 1, 1)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(8 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)

    def features(self, x):
        for conv in (self.conv1, self.conv2):
            x = self.pool(F.relu(conv(x)))
        return x

    def forward(self, x: Tensor) -> Tensor:
        x = self.features(x).reshape(x.shape[0], -1)
        return self.fc2(F.relu(self.fc1(x)))


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    trace = []

    def rec(name, t):
        trace.append((name, tuple(t.shape)))
        return t

    with torch.no_grad():
        for i, conv in enumerate((model.conv1, model.conv2), start=1):
            x = rec(f"conv{i}", conv(x))
            x = rec(f"relu{i}", F.relu(x))
            x = rec(f"pool{i}", model.pool(x))
        x = rec("flatten", x.reshape(x.shape[0], -1))
        x = rec("fc1", model.fc1(x))
        x = rec("relu3", F.relu(x))
        rec("fc2", model.fc2(x))
    return trace

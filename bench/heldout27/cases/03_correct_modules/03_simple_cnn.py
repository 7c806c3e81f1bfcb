"""03_simple_cnn: ReLU as nn.ReLU modules, nn.Flatten, loop-free size formulas with a helper."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def _checked(out: int) -> int:
    if out < 1:
        raise ValueError("output size would be below 1")
    return out


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    return _checked((size - kernel_size + 2 * padding) // stride + 1)


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    stride = stride or kernel_size
    return _checked((size - kernel_size) // stride + 1)


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, 1, 1)
        self.pool = nn.MaxPool2d(kernel_size=(2, 2), stride=(2, 2))
        self.conv2 = nn.Conv2d(4, 8, 3, 1, 1)
        self.fc1 = nn.Linear(8 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)
        self.act = nn.ReLU()
        self.flat = nn.Flatten()

    def forward(self, x: Tensor) -> Tensor:
        x = self.pool(self.act(self.conv1(x)))
        x = self.pool(self.act(self.conv2(x)))
        x = self.act(self.fc1(self.flat(x)))
        return self.fc2(x)


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    names = ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2"]
    fns = [model.conv1, F.relu, model.pool, model.conv2, F.relu, model.pool,
           lambda t: t.reshape(t.shape[0], -1), model.fc1, F.relu, model.fc2]
    shapes = []
    for f in fns:
        x = f(x)
        shapes.append(tuple(x.shape))
    return list(zip(names, shapes))

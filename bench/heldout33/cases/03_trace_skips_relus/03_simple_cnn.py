import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    out = (size + 2 * padding - kernel_size) // stride + 1
    if out < 1:
        raise ValueError("the kernel does not fit")
    return out


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    if stride is None:
        stride = kernel_size
    out = (size - kernel_size) // stride + 1
    if out < 1:
        raise ValueError("the pooling window does not fit")
    return out


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(4, 8, kernel_size=3, padding=1)
        self.fc1 = nn.Linear(8 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x: Tensor) -> Tensor:
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return x


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    shapes = []
    x = model.conv1(x)
    shapes.append(("conv1", tuple(x.shape)))
    x = F.relu(x)
    x = model.pool(x)
    shapes.append(("pool1", tuple(x.shape)))
    x = model.conv2(x)
    shapes.append(("conv2", tuple(x.shape)))
    x = F.relu(x)
    x = model.pool(x)
    shapes.append(("pool2", tuple(x.shape)))
    x = x.view(x.size(0), -1)
    shapes.append(("flatten", tuple(x.shape)))
    x = model.fc1(x)
    shapes.append(("fc1", tuple(x.shape)))
    x = F.relu(x)
    x = model.fc2(x)
    shapes.append(("fc2", tuple(x.shape)))
    return shapes

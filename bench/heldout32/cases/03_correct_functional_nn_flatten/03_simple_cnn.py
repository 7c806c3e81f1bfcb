import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    span = size + 2 * padding - kernel_size
    if span < 0:
        raise ValueError("kernel does not fit")
    return span // stride + 1


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    s = kernel_size if stride is None else stride
    if size < kernel_size:
        raise ValueError("pooling window larger than the input")
    return (size - kernel_size) // s + 1


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, 1, 1)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 8, 3, 1, 1)
        self.fc1 = nn.Linear(8 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)
        self.flatten = nn.Flatten()

    def forward(self, x: Tensor) -> Tensor:
        for conv in (self.conv1, self.conv2):
            x = self.pool(torch.relu(conv(x)))
        x = self.flatten(x)
        x = self.fc1(x).clamp(min=0)
        return self.fc2(x)


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    out = {}
    out["conv1"] = x = model.conv1(x)
    out["relu1"] = x = x.relu()
    out["pool1"] = x = model.pool(x)
    out["conv2"] = x = model.conv2(x)
    out["relu2"] = x = x.relu()
    out["pool2"] = x = model.pool(x)
    out["flatten"] = x = x.reshape(x.shape[0], -1)
    out["fc1"] = x = model.fc1(x)
    out["relu3"] = x = x.relu()
    out["fc2"] = x = model.fc2(x)
    return [(k, tuple(v.shape)) for k, v in out.items()]

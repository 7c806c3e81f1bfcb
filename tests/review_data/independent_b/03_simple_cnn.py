"""SimpleCNN, written from the tutorial's description."""

import torch.nn as nn
import torch.nn.functional as fn


def conv_output_size(size, kernel_size, stride=1, padding=0):
    n = 1 + (size - kernel_size + 2 * padding) // stride
    if n <= 0:
        raise ValueError(f"size {n}")
    return n


def pool_output_size(size, kernel_size, stride=None):
    return conv_output_size(size, kernel_size, stride or kernel_size, 0)


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 4, 3, 1, 1), nn.Conv2d(4, 8, 3, 1, 1)
        self.pool = nn.MaxPool2d(2)
        self.fc1, self.fc2 = nn.Linear(7 * 7 * 8, 64), nn.Linear(64, 10)

    def layers(self):
        return [
            ("conv1", self.conv1), ("relu1", fn.relu), ("pool1", self.pool),
            ("conv2", self.conv2), ("relu2", fn.relu), ("pool2", self.pool),
            ("flatten", nn.Flatten()), ("fc1", self.fc1), ("relu3", fn.relu),
            ("fc2", self.fc2),
        ]  # fmt: skip

    def forward(self, x):
        for _, layer in self.layers():
            x = layer(x)
        return x


def trace_shapes(model, x):
    out = []
    for name, layer in model.layers():
        x = layer(x)
        out.append((name, tuple(x.shape)))
    return out

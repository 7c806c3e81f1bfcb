import torch
from torch import nn


def conv_output_size(size, kernel_size, stride=1, padding=0):
    result = (size + 2 * padding - kernel_size) // stride + 1
    if result < 1:
        raise ValueError("output would be empty")
    return result


def pool_output_size(size, kernel_size, stride=None):
    if stride is None:
        stride = kernel_size
    result = (size - kernel_size) // stride + 1
    if result < 1:
        raise ValueError("pooling window too big")
    return result


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=4, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(in_channels=4, out_channels=8, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(392, 64)
        self.fc2 = nn.Linear(64, 10)
        self.relu = nn.ReLU()

    def forward(self, x):
        out = self.relu(self.conv1(x))
        out = self.pool(out)
        out = self.pool(self.relu(self.conv2(out)))
        out = out.view(out.size(0), -1)
        out = self.relu(self.fc1(out))
        out = self.fc2(out)
        return out


def trace_shapes(model, x):
    shapes = []
    x = model.conv1(x)
    shapes.append(("conv1", tuple(x.shape)))
    x = torch.relu(x)
    shapes.append(("relu1", tuple(x.shape)))
    x = model.pool(x)
    shapes.append(("pool1", tuple(x.shape)))
    x = model.conv2(x)
    shapes.append(("conv2", tuple(x.shape)))
    x = torch.relu(x)
    shapes.append(("relu2", tuple(x.shape)))
    x = model.pool(x)
    shapes.append(("pool2", tuple(x.shape)))
    x = x.reshape(x.shape[0], -1)
    shapes.append(("flatten", tuple(x.shape)))
    x = model.fc1(x)
    shapes.append(("fc1", tuple(x.shape)))
    x = torch.relu(x)
    shapes.append(("relu3", tuple(x.shape)))
    x = model.fc2(x)
    shapes.append(("fc2", tuple(x.shape)))
    return shapes

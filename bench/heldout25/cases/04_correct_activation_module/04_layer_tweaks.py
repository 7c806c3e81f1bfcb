"""Exercise 04 - TinyCNN with an activation module chosen once and a size helper."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_side(size, kernel_size, padding=1):
    return size + 2 * padding - kernel_size + 1


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.conv = nn.Conv2d(in_channels=1, out_channels=num_filters, kernel_size=kernel_size, padding=1)
        self.act = nn.ReLU() if use_relu else nn.Identity()
        self.has_second = extra_conv_filters > 0
        side = conv_side(image_size, kernel_size)
        last = num_filters
        if self.has_second:
            self.conv2 = nn.Conv2d(last, extra_conv_filters, kernel_size=3, padding=1)
            last = extra_conv_filters
            side = conv_side(side, 3)
        self.fc = nn.Linear(last * side * side, 10)

    def forward(self, x: Tensor) -> Tensor:
        x = self.act(self.conv(x))
        if self.has_second:
            x = self.act(self.conv2(x))
        return self.fc(x.reshape(len(x), -1))


def make_variants() -> dict[str, TinyCNN]:
    variants = dict(baseline=TinyCNN())
    variants["eight_filters"] = TinyCNN(num_filters=8)
    variants["kernel5"] = TinyCNN(kernel_size=5)
    variants["no_relu"] = TinyCNN(use_relu=False)
    variants["two_conv"] = TinyCNN(extra_conv_filters=6)
    return variants

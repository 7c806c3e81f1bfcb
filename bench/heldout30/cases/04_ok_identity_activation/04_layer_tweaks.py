"""Exercise 04 - TinyCNN with activation modules (nn.ReLU or nn.Identity)."""

import torch
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.act = nn.ReLU() if use_relu else nn.Identity()
        self.conv = nn.Conv2d(1, num_filters, kernel_size, padding=1)
        side = image_size + 2 - kernel_size + 1
        self.has_second = extra_conv_filters > 0
        if self.has_second:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, 3, padding=1)
        channels = extra_conv_filters if self.has_second else num_filters
        self.fc = nn.Linear(channels * side ** 2, 10)

    def forward(self, x: Tensor) -> Tensor:
        x = self.act(self.conv(x))
        if self.has_second:
            x = self.act(self.conv2(x))
        return self.fc(x.flatten(start_dim=1))


def make_variants() -> dict[str, TinyCNN]:
    variants = {}
    variants["baseline"] = TinyCNN()
    variants["eight_filters"] = TinyCNN(8)
    variants["kernel5"] = TinyCNN(3, 5)
    variants["no_relu"] = TinyCNN(3, 3, False)
    variants["two_conv"] = TinyCNN(3, 3, True, 6)
    return variants

"""Exercise 04 - TinyCNN with the activation chosen once and the sizes computed up front."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.act = nn.ReLU() if use_relu else nn.Identity()
        self.has_second = extra_conv_filters > 0
        s = image_size + 2 * 1 - kernel_size + 1
        self.conv = nn.Conv2d(in_channels=1, out_channels=num_filters, kernel_size=kernel_size,
                              stride=1, padding=1)
        c = num_filters
        if self.has_second:
            self.conv2 = nn.Conv2d(c, extra_conv_filters, kernel_size=3, padding=1)
            c = extra_conv_filters
        self.fc = nn.Linear(in_features=c * s * s, out_features=10)

    def forward(self, x: Tensor) -> Tensor:
        x = self.act(self.conv(x))
        if self.has_second:
            x = self.act(self.conv2(x))
        return self.fc(torch.flatten(x, start_dim=1))


def make_variants() -> dict[str, TinyCNN]:
    variants = {}
    variants["baseline"] = TinyCNN()
    variants["eight_filters"] = TinyCNN(8)
    variants["kernel5"] = TinyCNN(3, 5)
    variants["no_relu"] = TinyCNN(use_relu=False)
    variants["two_conv"] = TinyCNN(3, 3, True, 6)
    return variants

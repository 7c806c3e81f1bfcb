"""Exercise 04 - sizes from the formula, forward written with getattr and a layer list."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.use_relu = bool(use_relu)
        side = (image_size + 2 * 1 - kernel_size) // 1 + 1
        self.conv = nn.Conv2d(in_channels=1, out_channels=num_filters, kernel_size=kernel_size, padding=1)
        last = num_filters
        self._conv_names = ["conv"]
        if extra_conv_filters > 0:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, kernel_size=3, padding=1)
            last = extra_conv_filters
            self._conv_names.append("conv2")
        self.fc = nn.Linear(last * side * side, 10)

    def forward(self, x: Tensor) -> Tensor:
        for name in self._conv_names:
            x = getattr(self, name)(x)
            x = F.relu(x) if self.use_relu else x
        return self.fc(torch.flatten(x, 1))


def make_variants() -> dict[str, TinyCNN]:
    variants = dict(baseline=TinyCNN())
    variants["eight_filters"] = TinyCNN(8)
    variants["kernel5"] = TinyCNN(3, 5)
    variants["no_relu"] = TinyCNN(use_relu=False)
    variants["two_conv"] = TinyCNN(extra_conv_filters=6)
    return variants

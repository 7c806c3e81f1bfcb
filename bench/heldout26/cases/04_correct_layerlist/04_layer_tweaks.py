"""Exercise 04 - functional forward over a list of conv layers, sizes by formula."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.use_relu = bool(use_relu)
        self.conv = nn.Conv2d(1, num_filters, kernel_size=kernel_size, stride=1, padding=1)
        side = (image_size + 2 * 1 - kernel_size) // 1 + 1
        channels = num_filters
        if extra_conv_filters:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, kernel_size=3, padding=1)
            channels = extra_conv_filters
        self.fc = nn.Linear(channels * side * side, 10)

    def _convs(self):
        convs = [self.conv]
        if hasattr(self, "conv2"):
            convs.append(self.conv2)
        return convs

    def forward(self, x: Tensor) -> Tensor:
        for c in self._convs():
            x = c(x)
            x = F.relu(x) if self.use_relu else x
        return self.fc(x.reshape(len(x), -1))


def make_variants() -> dict[str, TinyCNN]:
    variants = {}
    variants["baseline"] = TinyCNN()
    variants["eight_filters"] = TinyCNN(num_filters=8)
    variants["kernel5"] = TinyCNN(kernel_size=5)
    variants["no_relu"] = TinyCNN(use_relu=False)
    variants["two_conv"] = TinyCNN(extra_conv_filters=6)
    return variants

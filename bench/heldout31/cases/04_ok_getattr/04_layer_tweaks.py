"""Exercise 04 - explicit formula, getattr lookup, functional flatten."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.use_relu = bool(use_relu)
        self.conv = nn.Conv2d(in_channels=1, out_channels=num_filters, kernel_size=kernel_size, padding=1)
        s = (image_size + 2 * 1 - kernel_size) // 1 + 1
        c = num_filters
        if extra_conv_filters:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, kernel_size=3, padding=1)
            c = extra_conv_filters
        self.fc = nn.Linear(c * s * s, 10)

    def _act(self, x):
        return torch.relu(x) if self.use_relu else x

    def forward(self, x: Tensor) -> Tensor:
        x = self._act(self.conv(x))
        conv2 = getattr(self, "conv2", None)
        if conv2 is not None:
            x = self._act(conv2(x))
        return self.fc(x.reshape(x.size(0), -1))


def make_variants() -> dict[str, TinyCNN]:
    variants = dict()
    variants["baseline"] = TinyCNN()
    variants["eight_filters"] = TinyCNN(8)
    variants["kernel5"] = TinyCNN(3, 5)
    variants["no_relu"] = TinyCNN(3, 3, False)
    variants["two_conv"] = TinyCNN(3, 3, True, 6)
    return variants

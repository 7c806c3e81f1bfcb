"""Exercise 04 - TinyCNN with the conv stack kept in a list and helper methods."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.use_relu = bool(use_relu)
        self.conv = nn.Conv2d(1, num_filters, kernel_size, padding=1)
        if extra_conv_filters > 0:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, kernel_size=3, padding=1)
        last = self.conv2 if extra_conv_filters > 0 else self.conv
        s = self._side(image_size, kernel_size)
        self.fc = nn.Linear(last.out_channels * s * s, 10)

    @staticmethod
    def _side(image_size, kernel_size):
        return (image_size + 2 * 1 - kernel_size) // 1 + 1

    def _convs(self):
        return [self.conv] + ([self.conv2] if "conv2" in self._modules else [])

    def forward(self, x: Tensor) -> Tensor:
        for conv in self._convs():
            x = conv(x)
            x = F.relu(x) if self.use_relu else x
        return self.fc(x.reshape(x.size(0), -1))


def make_variants() -> dict[str, TinyCNN]:
    configs = {
        "baseline": {},
        "eight_filters": {"num_filters": 8},
        "kernel5": {"kernel_size": 5},
        "no_relu": {"use_relu": False},
        "two_conv": {"extra_conv_filters": 6},
    }
    return {name: TinyCNN(**kw) for name, kw in configs.items()}

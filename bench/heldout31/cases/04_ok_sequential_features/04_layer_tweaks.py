"""Exercise 04 - features in an nn.Sequential, ReLU as a module, fc width from a dummy forward."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.conv = nn.Conv2d(1, num_filters, kernel_size, padding=1)
        if extra_conv_filters > 0:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, 3, padding=1)
        act = nn.ReLU if use_relu else nn.Identity
        layers = [self.conv, act()]
        if extra_conv_filters > 0:
            layers += [self.conv2, act()]
        self._features = nn.Sequential(*layers)
        with torch.no_grad():
            n = self._features(torch.zeros(1, 1, image_size, image_size)).numel()
        self.fc = nn.Linear(n, 10)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc(torch.flatten(self._features(x), 1))


def make_variants() -> dict[str, TinyCNN]:
    configs = {
        "baseline": {},
        "eight_filters": {"num_filters": 8},
        "kernel5": {"kernel_size": 5},
        "no_relu": {"use_relu": False},
        "two_conv": {"extra_conv_filters": 6},
    }
    return {name: TinyCNN(**kw) for name, kw in configs.items()}

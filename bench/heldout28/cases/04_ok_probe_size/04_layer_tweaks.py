"""Exercise 04 - fc width found with a dummy forward pass."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.use_relu = use_relu
        self.has_conv2 = extra_conv_filters > 0
        self.conv = nn.Conv2d(1, num_filters, kernel_size=kernel_size, padding=1)
        if self.has_conv2:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, kernel_size=3, padding=1)
        with torch.no_grad():
            n = self._features(torch.zeros(1, 1, image_size, image_size)).shape[1]
        self.fc = nn.Linear(n, 10)

    def _act(self, x):
        return F.relu(x) if self.use_relu else x

    def _features(self, x):
        x = self._act(self.conv(x))
        if self.has_conv2:
            x = self._act(self.conv2(x))
        return torch.flatten(x, start_dim=1)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc(self._features(x))


def make_variants() -> dict[str, TinyCNN]:
    configs = {"baseline": {}, "eight_filters": {"num_filters": 8}, "kernel5": {"kernel_size": 5},
               "no_relu": {"use_relu": False}, "two_conv": {"extra_conv_filters": 6}}
    return {name: TinyCNN(**kw) for name, kw in configs.items()}

"""04_layer_tweaks: TinyCNN sizes fc with a dummy forward pass; activation chosen once as a callable."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.act = F.relu if use_relu else (lambda t: t)
        self.conv = nn.Conv2d(1, num_filters, kernel_size, padding=1)
        if extra_conv_filters > 0:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, 3, padding=1)
        with torch.no_grad():
            n = self._features(torch.zeros(1, 1, image_size, image_size)).shape[1]
        self.fc = nn.Linear(n, 10)

    def _features(self, x):
        x = self.act(self.conv(x))
        if "conv2" in self._modules:
            x = self.act(self.conv2(x))
        return x.reshape(x.shape[0], -1)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc(self._features(x))


def make_variants() -> dict[str, TinyCNN]:
    variants = {}
    variants["baseline"] = TinyCNN()
    variants["eight_filters"] = TinyCNN(num_filters=8)
    variants["kernel5"] = TinyCNN(kernel_size=5)
    variants["no_relu"] = TinyCNN(use_relu=False)
    variants["two_conv"] = TinyCNN(extra_conv_filters=6)
    return variants

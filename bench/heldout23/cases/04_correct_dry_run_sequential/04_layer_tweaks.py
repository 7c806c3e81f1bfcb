"""Exercise 04 - TinyCNN: the fc size measured with a dry run through an nn.Sequential."""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.conv = nn.Conv2d(1, num_filters, kernel_size, padding=1)
        stages = [self.conv] + ([nn.ReLU()] if use_relu else [])
        if extra_conv_filters:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, 3, padding=1)
            stages += [self.conv2] + ([nn.ReLU()] if use_relu else [])
        stages.append(nn.Flatten())
        self.features = nn.Sequential(*stages)
        with torch.no_grad():
            n_features = self.features(torch.zeros(1, 1, image_size, image_size)).shape[1]
        self.fc = nn.Linear(n_features, 10)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc(self.features(x))


def make_variants() -> dict[str, TinyCNN]:
    configs = {
        "baseline": {},
        "eight_filters": {"num_filters": 8},
        "kernel5": {"kernel_size": 5},
        "no_relu": {"use_relu": False},
        "two_conv": {"extra_conv_filters": 6},
    }
    return {name: TinyCNN(**kwargs) for name, kwargs in configs.items()}

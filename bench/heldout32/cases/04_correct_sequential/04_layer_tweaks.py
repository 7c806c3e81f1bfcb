import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.conv = nn.Conv2d(1, num_filters, kernel_size, padding=1)
        layers = [self.conv]
        if use_relu:
            layers.append(nn.ReLU())
        channels = num_filters
        if extra_conv_filters > 0:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, 3, padding=1)
            layers.append(self.conv2)
            if use_relu:
                layers.append(nn.ReLU())
            channels = extra_conv_filters
        layers.append(nn.Flatten())
        self.features = nn.Sequential(*layers)
        side = image_size + 2 - kernel_size + 1
        self.fc = nn.Linear(channels * side * side, 10)

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
    return {name: TinyCNN(**kw) for name, kw in configs.items()}

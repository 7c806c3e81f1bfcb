import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.conv = nn.Conv2d(1, num_filters, kernel_size, padding=1)
        layers = [self.conv] + ([nn.ReLU()] if use_relu else [])
        channels = num_filters
        if extra_conv_filters:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, 3, padding=1)
            layers += [self.conv2] + ([nn.ReLU()] if use_relu else [])
            channels = extra_conv_filters
        self._body = nn.Sequential(*layers, nn.Flatten())
        side = image_size - kernel_size + 3
        self.fc = nn.Linear(channels * side * side, 10)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc(self._body(x))


def make_variants() -> dict[str, TinyCNN]:
    configs = {
        "baseline": {},
        "eight_filters": {"num_filters": 8},
        "kernel5": {"kernel_size": 5},
        "no_relu": {"use_relu": False},
        "two_conv": {"extra_conv_filters": 6},
    }
    return {name: TinyCNN(**kw) for name, kw in configs.items()}

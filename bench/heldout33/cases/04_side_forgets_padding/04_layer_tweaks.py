import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.use_relu = use_relu
        self.conv = nn.Conv2d(1, num_filters, kernel_size, padding=1)
        S = image_size - kernel_size + 1
        C = num_filters
        if extra_conv_filters > 0:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, 3, padding=1)
            C = extra_conv_filters
        self.fc = nn.Linear(C * S * S, 10)

    def forward(self, x: Tensor) -> Tensor:
        x = self.conv(x)
        if self.use_relu:
            x = F.relu(x)
        if hasattr(self, "conv2"):
            x = self.conv2(x)
            if self.use_relu:
                x = F.relu(x)
        x = torch.flatten(x, 1)
        return self.fc(x)


def make_variants() -> dict[str, TinyCNN]:
    return {
        "baseline": TinyCNN(),
        "eight_filters": TinyCNN(num_filters=8),
        "kernel5": TinyCNN(kernel_size=5),
        "no_relu": TinyCNN(use_relu=False),
        "two_conv": TinyCNN(extra_conv_filters=6),
    }

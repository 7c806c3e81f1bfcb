import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        self.use_relu = bool(use_relu)
        self.conv = nn.Conv2d(1, num_filters, kernel_size=kernel_size, stride=1, padding=1)
        if extra_conv_filters > 0:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, kernel_size=3, padding=1)
        with torch.no_grad():
            n = self._features(torch.zeros(1, 1, image_size, image_size)).shape[1]
        self.fc = nn.Linear(n, 10)

    def _act(self, x):
        return torch.relu(x) if self.use_relu else x

    def _features(self, x):
        x = self._act(self.conv(x))
        conv2 = getattr(self, "conv2", None)
        if conv2 is not None:
            x = self._act(conv2(x))
        return x.view(x.shape[0], -1)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc(self._features(x))


def make_variants() -> dict[str, TinyCNN]:
    out = {}
    out["baseline"] = TinyCNN()
    out["eight_filters"] = TinyCNN(8)
    out["kernel5"] = TinyCNN(3, 5)
    out["no_relu"] = TinyCNN(3, 3, False)
    out["two_conv"] = TinyCNN(3, 3, True, 6)
    return out

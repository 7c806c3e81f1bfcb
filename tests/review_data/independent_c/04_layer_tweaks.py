from torch import nn


def _out_side(side, kernel, padding=1):
    return side + 2 * padding - kernel + 1


class TinyCNN(nn.Module):
    def __init__(
        self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0, image_size=28
    ):
        super().__init__()
        self.act = nn.ReLU() if use_relu else nn.Identity()
        self.conv = nn.Conv2d(1, num_filters, kernel_size, padding=1)
        width = num_filters
        if extra_conv_filters:
            self.conv2 = nn.Conv2d(num_filters, extra_conv_filters, 3, padding=1)
            width = extra_conv_filters
        self.fc = nn.Linear(width * _out_side(image_size, kernel_size) ** 2, 10)

    def forward(self, x):
        stages = [self.conv] + ([self.conv2] if "conv2" in self._modules else [])
        for stage in stages:
            x = self.act(stage(x))
        return self.fc(x.reshape(x.size(0), -1))


def make_variants():
    settings = {
        "baseline": {},
        "eight_filters": {"num_filters": 8},
        "kernel5": {"kernel_size": 5},
        "no_relu": {"use_relu": False},
        "two_conv": {"extra_conv_filters": 6},
    }
    return {name: TinyCNN(**options) for name, options in settings.items()}

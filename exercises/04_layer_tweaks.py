"""Exercise 04 - The four TinyCNN tweaks.

Tutorial: Part 5 (the TinyCNN) and Part 7, exercise 1 ("Modify the TinyCNN"):
more filters, a bigger kernel, no ReLU, a second conv layer.

Check your work:  grader check layer_tweaks      Stuck?  grader hint layer_tweaks
"""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TinyCNN(nn.Module):
    """A configurable TinyCNN: (B, 1, image_size, image_size) -> (B, 10).

    conv:  Conv2d(1, num_filters, kernel_size, padding=1). Its output side is
           S = image_size + 2 - kernel_size + 1.
    conv2: only when extra_conv_filters > 0:
           Conv2d(num_filters, extra_conv_filters, 3, padding=1) (keeps S).
           When extra_conv_filters == 0 there must be no attribute conv2 at all.
    fc:    Linear(C * S * S, 10), C the channels of the last conv.
    forward: conv, ReLU (if use_relu), [conv2, ReLU (if use_relu)], flatten, fc.
    """

    def __init__(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,
                 image_size=28):
        super().__init__()
        # TODO
        raise NotImplementedError

    def forward(self, x: Tensor) -> Tensor:
        # TODO
        raise NotImplementedError


def make_variants() -> dict[str, TinyCNN]:
    """The five models to compare, by name:

    baseline (defaults), eight_filters (num_filters=8), kernel5 (kernel_size=5),
    no_relu (use_relu=False), two_conv (extra_conv_filters=6).
    """
    # TODO
    raise NotImplementedError

"""Exercise 03 - The SimpleCNN and its shapes.

Tutorial: Part 2, "Building a CNN Layer by Layer" (2.1 and 2.2).

Check your work:  grader check simple_cnn      Stuck?  grader hint simple_cnn
"""

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    """Output side of a convolution: (size + 2*padding - kernel_size) // stride + 1.

    Raises ValueError if the result would be below 1 (the kernel does not fit).
    """
    # TODO
    raise NotImplementedError


def pool_output_size(size: int, kernel_size: int, stride: int | None = None) -> int:
    """Output side of a max-pool, rounding down (floor mode, as nn.MaxPool2d).

    stride defaults to kernel_size, as in nn.MaxPool2d.
    Raises ValueError if the result would be below 1.
    """
    # TODO
    raise NotImplementedError


class SimpleCNN(nn.Module):
    """The tutorial's SimpleCNN: (B, 1, 28, 28) -> (B, 10).

    Attributes, with exactly these names:
      conv1: Conv2d 1 -> 4 channels, 3x3 kernel, padding 1     (B, 4, 28, 28)
      pool:  MaxPool2d 2x2, stride 2 (used twice)             halves H and W
      conv2: Conv2d 4 -> 8 channels, 3x3 kernel, padding 1     (B, 8, 14, 14)
      fc1:   Linear 392 -> 64                                   392 = 8 * 7 * 7
      fc2:   Linear 64 -> 10
    forward: pool(relu(conv1)), pool(relu(conv2)), flatten, relu(fc1), fc2.
    """

    def __init__(self):
        super().__init__()
        # TODO: create the five layers
        raise NotImplementedError

    def forward(self, x: Tensor) -> Tensor:
        # TODO: wire them together (see the docstring)
        raise NotImplementedError


def trace_shapes(model: SimpleCNN, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    """Run x through model one stage at a time; return [(stage name, output shape), ...].

    The stages, in order: conv1, relu1, pool1, conv2, relu2, pool2, flatten, fc1, relu3, fc2.
    Shapes are tuples of ints, e.g. ("conv1", (2, 4, 28, 28)).
    """
    # TODO
    raise NotImplementedError

"""Exercise 02 - Counting parameters.

Tutorial: Part 7, exercise 2 ("Count parameters").

A network's size is the number of values it learns. Count them from a model,
and by hand from the layer sizes, to see where they come from.

Check your work:  grader check count_parameters      Stuck?  grader hint count_parameters
"""

from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    """Return (total, trainable): how many numbers the model's parameters hold.

    - A parameter shared by several layers counts once.
    - Buffers (such as BatchNorm's running mean and variance) are not parameters.
    - trainable counts only parameters with requires_grad=True.
    Both are Python ints.
    """
    # TODO
    raise NotImplementedError


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    """Parameters of nn.Conv2d(in_channels, out_channels, kernel_size, bias=bias).

    kernel_size is an int (a square kernel) or a (kh, kw) tuple. Work it out from
    the sizes; do not build the layer.
    """
    # TODO
    raise NotImplementedError


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    """Parameters of nn.Linear(in_features, out_features, bias=bias), from the sizes."""
    # TODO
    raise NotImplementedError


def simple_cnn_param_count() -> int:
    """Parameters of the tutorial's SimpleCNN (Part 2.1), added up layer by layer
    with the two functions above: conv1 (1->4, 3x3), conv2 (4->8, 3x3),
    fc1 (392->64), fc2 (64->10)."""
    # TODO
    raise NotImplementedError

"""Exercise 02 - math.prod over shapes."""

import math

from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    params = list(model.parameters())          # already deduplicated
    total = sum(math.prod(p.shape) for p in params)
    trainable = sum(math.prod(p.shape) for p in filter(lambda p: p.requires_grad, params))
    return total, trainable


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    ks = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    count = math.prod((out_channels, in_channels) + ks)
    if bias:
        count += out_channels
    return count


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    count = in_features * out_features
    if bias:
        count = count + out_features
    return count


def simple_cnn_param_count() -> int:
    total = 0
    for args in [(1, 4, 3), (4, 8, 3)]:
        total += conv2d_param_count(*args)
    for args in [(392, 64), (64, 10)]:
        total += linear_param_count(*args)
    return total

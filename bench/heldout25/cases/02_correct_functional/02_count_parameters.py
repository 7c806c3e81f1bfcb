"""Exercise 02 - Counting parameters, functional style."""

import math

from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    params = dict(model.named_parameters())   # named_parameters already drops shared duplicates
    total = sum(p.numel() for p in params.values())
    trainable = sum(p.numel() for p in params.values() if p.requires_grad)
    return int(total), int(trainable)


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    if isinstance(kernel_size, (tuple, list)):
        area = math.prod(kernel_size)
    else:
        area = kernel_size ** 2
    return in_channels * out_channels * area + bias * out_channels


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    weights = in_features * out_features
    biases = out_features if bias else 0
    return weights + biases


def simple_cnn_param_count() -> int:
    return sum([
        conv2d_param_count(in_channels=1, out_channels=4, kernel_size=3),
        conv2d_param_count(in_channels=4, out_channels=8, kernel_size=3),
        linear_param_count(in_features=392, out_features=64),
        linear_param_count(in_features=64, out_features=10),
    ])

"""Exercise 02 - explicit de-duplication over named_parameters, math.prod for the sizes."""

import math

from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    seen = set()
    total = trainable = 0
    for _, p in model.named_parameters(remove_duplicate=False):
        if id(p) in seen:
            continue
        seen.add(id(p))
        total += p.numel()
        if p.requires_grad:
            trainable += p.numel()
    return total, trainable


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    ks = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    return in_channels * out_channels * math.prod(ks) + (out_channels if bias else 0)


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    return out_features * (in_features + int(bool(bias)))


def simple_cnn_param_count() -> int:
    layers = [
        conv2d_param_count(1, 4, 3),
        conv2d_param_count(4, 8, (3, 3)),
        linear_param_count(8 * 7 * 7, 64),
        linear_param_count(64, 10),
    ]
    return sum(layers)

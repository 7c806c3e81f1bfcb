"""02_count_parameters: count_parameters with explicit loops; counts via per-filter reasoning."""

from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    total = 0
    trainable = 0
    for p in model.parameters():
        n = 1
        for d in p.shape:
            n *= d
        total += n
        trainable += n if p.requires_grad else 0
    return total, trainable


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    if isinstance(kernel_size, (tuple, list)):
        kh, kw = kernel_size
    else:
        kh = kw = kernel_size
    per_filter = in_channels * kh * kw
    if bias:
        per_filter += 1
    return per_filter * out_channels


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    count = in_features * out_features
    if bias:
        count += out_features
    return count


def simple_cnn_param_count() -> int:
    total = 0
    total += conv2d_param_count(1, 4, 3)
    total += conv2d_param_count(4, 8, 3)
    total += linear_param_count(392, 64)
    total += linear_param_count(64, 10)
    return total

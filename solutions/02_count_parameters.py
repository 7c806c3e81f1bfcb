"""Reference: counting parameters (Part 7, exercise 2)."""

from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    params = list(model.parameters())  # yields a shared parameter once
    total = sum(p.numel() for p in params)
    trainable = sum(p.numel() for p in params if p.requires_grad)
    return total, trainable


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return out_channels * in_channels * kh * kw + (out_channels if bias else 0)


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    return out_features * in_features + (out_features if bias else 0)


def simple_cnn_param_count() -> int:
    return (conv2d_param_count(1, 4, 3) + conv2d_param_count(4, 8, 3)
            + linear_param_count(8 * 7 * 7, 64) + linear_param_count(64, 10))

"""Exercise 02 - one-liners."""

from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    params = list(model.parameters())
    return (sum(p.numel() for p in params),
            sum(p.numel() for p in params if p.requires_grad))


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    if isinstance(kernel_size, (tuple, list)):
        kh, kw = kernel_size
    else:
        kh = kw = int(kernel_size)
    n = in_channels * kh * kw * out_channels
    if bias:
        n += out_channels
    return n


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    n = in_features * out_features
    if bias:
        n = n + out_features
    return n


def simple_cnn_param_count() -> int:
    total = 0
    for cin, cout in [(1, 4), (4, 8)]:
        total += conv2d_param_count(cin, cout, 3)
    for fin, fout in [(392, 64), (64, 10)]:
        total += linear_param_count(fin, fout)
    return total

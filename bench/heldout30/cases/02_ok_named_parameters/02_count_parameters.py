"""Exercise 02 - counting parameters with named_parameters and a helper."""

from torch import nn


def _numel(shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def count_parameters(model: nn.Module) -> tuple[int, int]:
    params = [p for _, p in model.named_parameters()]  # named_parameters already de-duplicates
    total = 0
    frozen = 0
    for p in params:
        total += _numel(p.shape)
        if not p.requires_grad:
            frozen += _numel(p.shape)
    return total, total - frozen


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    try:
        kh, kw = kernel_size
    except TypeError:
        kh = kw = kernel_size
    weight = out_channels * in_channels * kh * kw
    return weight + out_channels if bias else weight


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    return in_features * out_features + (out_features if bias else 0)


def simple_cnn_param_count() -> int:
    total = 0
    for cin, cout in [(1, 4), (4, 8)]:
        total += conv2d_param_count(cin, cout, 3)
    for fin, fout in [(392, 64), (64, 10)]:
        total += linear_param_count(fin, fout)
    return total

"""Exercise 02 - a dict keyed by the parameter object; per-layer helper formulas."""

from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    unique = {}
    for module in model.modules():
        for p in module.parameters(recurse=False):
            unique[id(p)] = p
    total = sum(p.numel() for p in unique.values())
    trainable = sum(p.numel() for p in unique.values() if p.requires_grad)
    return int(total), int(trainable)


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    try:
        kh, kw = kernel_size
    except TypeError:
        kh = kw = kernel_size
    per_filter = in_channels * kh * kw + (1 if bias else 0)
    return out_channels * per_filter


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    count = in_features * out_features
    if bias:
        count += out_features
    return count


def simple_cnn_param_count() -> int:
    total = 0
    for cin, cout in [(1, 4), (4, 8)]:
        total += conv2d_param_count(cin, cout, 3)
    for fin, fout in [(392, 64), (64, 10)]:
        total += linear_param_count(fin, fout)
    return total

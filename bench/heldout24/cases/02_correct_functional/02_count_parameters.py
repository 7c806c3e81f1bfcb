"""Exercise 02 - functional style with a dict of unique parameters."""

from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    unique = list(model.parameters())  # parameters() yields a shared tensor once
    sizes = [(p.numel(), p.requires_grad) for p in unique]
    total = sum(n for n, _ in sizes)
    trainable = sum(n for n, req in sizes if req)
    return total, trainable


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    try:
        kh, kw = kernel_size
    except TypeError:
        kh = kw = kernel_size
    count = in_channels * out_channels * kh * kw
    if bias:
        count += out_channels
    return count


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    count = in_features * out_features
    if bias:
        count += out_features
    return count


def simple_cnn_param_count() -> int:
    total = 0
    for cin, cout in [(1, 4), (4, 8)]:
        total += conv2d_param_count(cin, cout, 3)
    for fin, fout in [(8 * 7 * 7, 64), (64, 10)]:
        total += linear_param_count(fin, fout)
    return total

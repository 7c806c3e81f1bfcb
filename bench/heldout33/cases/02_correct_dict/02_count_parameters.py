from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    params = list(model.parameters())  # parameters() already drops shared duplicates
    trainable_params = filter(lambda p: p.requires_grad, params)
    return sum(map(nn.Parameter.numel, params)), sum(p.numel() for p in trainable_params)


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    try:
        kh, kw = kernel_size
    except TypeError:
        kh = kw = kernel_size
    n = kh * kw * in_channels * out_channels
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
    for fin, fout in [(8 * 7 * 7, 64), (64, 10)]:
        total += linear_param_count(fin, fout)
    return total

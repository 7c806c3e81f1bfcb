from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    seen = {}
    for _, p in model.named_parameters():
        seen[id(p)] = p
    total = sum(p.numel() for p in seen.values())
    trainable = sum(p.numel() for p in seen.values() if p.requires_grad)
    return total, trainable


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    if isinstance(kernel_size, int):
        kh, kw = kernel_size, kernel_size
    else:
        kh, kw = kernel_size
    weights = in_channels * out_channels * kh * kw
    return weights + (out_channels if bias else 0)


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    weights = in_features * out_features
    return weights + (out_features if bias else 0)


def simple_cnn_param_count() -> int:
    return (conv2d_param_count(1, 4, 3) + conv2d_param_count(4, 8, 3)
            + linear_param_count(392, 64) + linear_param_count(64, 10))

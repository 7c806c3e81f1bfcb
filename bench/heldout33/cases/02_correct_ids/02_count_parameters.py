import math

from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    seen = {}
    for _, p in model.named_parameters(remove_duplicate=False):
        seen[id(p)] = p
    total = sum(p.numel() for p in seen.values())
    trainable = sum(p.numel() for p in seen.values() if p.requires_grad)
    return int(total), int(trainable)


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    ks = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    return out_channels * (in_channels * math.prod(ks) + (1 if bias else 0))


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    return (in_features + int(bias)) * out_features


def simple_cnn_param_count() -> int:
    layers = [conv2d_param_count(1, 4, (3, 3)), conv2d_param_count(4, 8, 3),
              linear_param_count(392, 64), linear_param_count(64, 10)]
    return sum(layers)

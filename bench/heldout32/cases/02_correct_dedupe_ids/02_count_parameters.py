import math
from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    seen = {}
    for _, module in model.named_modules():
        for p in module.parameters(recurse=False):
            seen[id(p)] = p
    total = sum(p.numel() for p in seen.values())
    trainable = sum(p.numel() for p in seen.values() if p.requires_grad)
    return int(total), int(trainable)


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    ks = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    return out_channels * (in_channels * math.prod(ks) + (1 if bias else 0))


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    return out_features * (in_features + int(bias))


def simple_cnn_param_count() -> int:
    convs = [(1, 4, 3), (4, 8, 3)]
    linears = [(392, 64), (64, 10)]
    return sum(conv2d_param_count(*c) for c in convs) + sum(linear_param_count(*l) for l in linears)

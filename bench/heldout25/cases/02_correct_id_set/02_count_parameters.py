"""Exercise 02 - Counting parameters, walking the modules and de-duplicating by identity."""

from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    seen = set()
    total = trainable = 0
    for module in model.modules():
        for p in module.parameters(recurse=False):
            if id(p) in seen:
                continue
            seen.add(id(p))
            n = int(p.numel())
            total += n
            trainable += n if p.requires_grad else 0
    return total, trainable


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    per_filter = in_channels * kh * kw + (1 if bias else 0)
    return out_channels * per_filter


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    return out_features * (in_features + int(bias))


def simple_cnn_param_count() -> int:
    layers = [
        conv2d_param_count(1, 4, (3, 3)),
        conv2d_param_count(4, 8, 3),
        linear_param_count(8 * 7 * 7, 64),
        linear_param_count(64, 10),
    ]
    return sum(layers)

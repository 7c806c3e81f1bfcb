"""Exercise 02 - Counting parameters, walking the modules by hand."""

from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    seen = set()
    total = trainable = 0
    for module in model.modules():
        for param in module.parameters(recurse=False):
            if id(param) in seen:
                continue
            seen.add(id(param))
            n = 1
            for d in param.shape:
                n *= d
            total += n
            if param.requires_grad:
                trainable += n
    return int(total), int(trainable)


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    return out_channels * (in_channels * kh * kw + (1 if bias else 0))


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    return out_features * (in_features + int(bool(bias)))


def simple_cnn_param_count() -> int:
    layers = [
        conv2d_param_count(1, 4, (3, 3)),
        conv2d_param_count(4, 8, (3, 3)),
        linear_param_count(392, 64),
        linear_param_count(64, 10),
    ]
    return sum(layers)

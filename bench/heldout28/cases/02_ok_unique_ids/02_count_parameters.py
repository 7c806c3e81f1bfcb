"""Exercise 02 - dedup by id over named_parameters(remove_duplicate=False)."""

from torch import nn
from torch.nn.modules.utils import _pair


def count_parameters(model: nn.Module) -> tuple[int, int]:
    unique = {}
    for _, p in model.named_parameters(remove_duplicate=False):
        unique[id(p)] = p
    total = sum(p.numel() for p in unique.values())
    trainable = sum(p.numel() for p in unique.values() if p.requires_grad)
    return int(total), int(trainable)


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    kh, kw = _pair(kernel_size)
    return out_channels * (in_channels * kh * kw + (1 if bias else 0))


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    return out_features * (in_features + int(bias))


def simple_cnn_param_count() -> int:
    layers = [conv2d_param_count(1, 4, 3), conv2d_param_count(4, 8, (3, 3)),
              linear_param_count(8 * 7 * 7, 64), linear_param_count(64, 10)]
    return sum(layers)

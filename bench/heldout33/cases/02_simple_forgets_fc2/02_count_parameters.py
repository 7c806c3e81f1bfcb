from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    total = 0
    trainable = 0
    for p in model.parameters():
        total += p.numel()
        if p.requires_grad:
            trainable += p.numel()
    return total, trainable


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    if isinstance(kernel_size, int):
        kh, kw = kernel_size, kernel_size
    else:
        kh, kw = kernel_size
    weights = in_channels * out_channels * kh * kw
    biases = out_channels if bias else 0
    return weights + biases


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    weights = in_features * out_features
    biases = out_features if bias else 0
    return weights + biases


def simple_cnn_param_count() -> int:
    conv1 = conv2d_param_count(1, 4, 3)
    conv2 = conv2d_param_count(4, 8, 3)
    fc1 = linear_param_count(8 * 7 * 7, 64)
    fc2 = linear_param_count(64, 10)
    return conv1 + conv2 + fc1

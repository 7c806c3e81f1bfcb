from torch import nn


def count_parameters(model: nn.Module) -> tuple[int, int]:
    # named_parameters() already yields a shared parameter once
    params = [p for _, p in model.named_parameters()]
    total = 0
    trainable = 0
    for p in params:
        n = 1
        for d in p.shape:
            n *= d
        total += n
        trainable += n if p.requires_grad else 0
    return (total, trainable)


def conv2d_param_count(in_channels: int, out_channels: int, kernel_size, bias: bool = True) -> int:
    try:
        kh, kw = kernel_size
    except TypeError:
        kh = kw = kernel_size
    count = kh * kw * in_channels * out_channels
    if bias:
        count += out_channels
    return count


def linear_param_count(in_features: int, out_features: int, bias: bool = True) -> int:
    count = in_features * out_features
    if bias:
        count = count + out_features
    return count


def simple_cnn_param_count() -> int:
    conv1 = conv2d_param_count(1, 4, (3, 3))
    conv2 = conv2d_param_count(4, 8, (3, 3))
    fc1 = linear_param_count(8 * 7 * 7, 64)
    fc2 = linear_param_count(64, 10)
    return conv1 + conv2 + fc1 + fc2

import math


def count_parameters(model):
    ps = {id(p): p for p in model.parameters()}.values()
    return sum(p.numel() for p in ps), sum(p.numel() for p in ps if p.requires_grad)


def conv2d_param_count(in_channels, out_channels, kernel_size, bias=True):
    size = (kernel_size,) * 2 if isinstance(kernel_size, int) else tuple(kernel_size)
    return in_channels * out_channels * math.prod(size) + out_channels * int(bias)


def linear_param_count(in_features, out_features, bias=True):
    return (in_features + int(bias)) * out_features


def simple_cnn_param_count():
    return 1 * 4 * 9 + 4 + 4 * 8 * 9 + 8 + (392 + 1) * 64 + (64 + 1) * 10

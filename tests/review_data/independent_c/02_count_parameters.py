import math

import torch.nn as nn


def count_parameters(model):
    seen, total, trainable = set(), 0, 0
    for tensor in model.parameters():
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        size = math.prod(tensor.shape)
        total = total + size
        if tensor.requires_grad:
            trainable = trainable + size
    return total, trainable


def _pair(k):
    return (k, k) if isinstance(k, int) else tuple(k)


def conv2d_param_count(in_channels, out_channels, kernel_size, bias=True):
    height, width = _pair(kernel_size)
    per_filter = in_channels * height * width + int(bias)
    return per_filter * out_channels


def linear_param_count(in_features, out_features, bias=True):
    return (in_features + (1 if bias else 0)) * out_features


def simple_cnn_param_count():
    layers = [
        nn.Conv2d(1, 4, 3, padding=1),
        nn.Conv2d(4, 8, 3, padding=1),
        nn.Linear(8 * 7 * 7, 64),
        nn.Linear(64, 10),
    ]
    return sum(count_parameters(layer)[0] for layer in layers)

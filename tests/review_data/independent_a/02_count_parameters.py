def count_parameters(model):
    seen = set()
    total = 0
    trainable = 0
    for param in model.parameters():
        if id(param) in seen:
            continue
        seen.add(id(param))
        total += param.numel()
        if param.requires_grad:
            trainable += param.numel()
    return total, trainable


def conv2d_param_count(in_channels, out_channels, kernel_size, bias=True):
    if type(kernel_size) is tuple:
        area = kernel_size[0] * kernel_size[1]
    else:
        area = kernel_size * kernel_size
    weights = in_channels * out_channels * area
    if bias:
        weights = weights + out_channels
    return weights


def linear_param_count(in_features, out_features, bias=True):
    n = in_features * out_features
    if bias:
        n += out_features
    return n


def simple_cnn_param_count():
    conv1 = conv2d_param_count(1, 4, 3)
    conv2 = conv2d_param_count(4, 8, 3)
    fc1 = linear_param_count(392, 64)
    fc2 = linear_param_count(64, 10)
    return conv1 + conv2 + fc1 + fc2

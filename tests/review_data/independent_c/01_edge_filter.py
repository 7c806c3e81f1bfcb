"""Edge filters, with the convolution written as a sum of shifted, weighted copies of the image."""

import torch


def _as_kernel(rows):
    return torch.tensor(rows, dtype=torch.float32)


def horizontal_edge_filter():
    return _as_kernel([[1, 1, 1], [0, 0, 0], [-1, -1, -1]])


def vertical_edge_filter():
    return horizontal_edge_filter().t().contiguous()


def laplacian_filter():
    k = -torch.ones(3, 3)
    k[1, 1] = 8
    return k


def convolve2d(image, kernel, stride=1, padding=0):
    if len(image.shape) != 2 or len(kernel.shape) != 2:
        raise ValueError("convolve2d works on 2-D image and kernel only")
    rows, cols = image.shape
    grown = torch.zeros(rows + 2 * padding, cols + 2 * padding, dtype=image.dtype)
    grown[padding : padding + rows, padding : padding + cols] = image
    kr, kc = kernel.shape
    if kr > grown.shape[0] or kc > grown.shape[1]:
        raise ValueError("the kernel is larger than the padded image")
    span_r = grown.shape[0] - kr + 1
    span_c = grown.shape[1] - kc + 1
    acc = torch.zeros(span_r, span_c, dtype=image.dtype)
    for a in range(kr):
        for b in range(kc):
            acc += kernel[a, b] * grown[a : a + span_r, b : b + span_c]
    return acc[::stride, ::stride]


def edge_magnitude(image):
    both = [
        convolve2d(image, k, padding=1) for k in (horizontal_edge_filter(), vertical_edge_filter())
    ]
    return (both[0].pow(2) + both[1].pow(2)).sqrt()

"""01_edge_filter: convolve2d looping over kernel offsets and adding shifted strided slices."""

import torch
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    return torch.FloatTensor([[1, 1, 1], [0, 0, 0], [-1, -1, -1]])


def vertical_edge_filter() -> Tensor:
    return torch.FloatTensor([[1, 0, -1], [1, 0, -1], [1, 0, -1]])


def laplacian_filter() -> Tensor:
    return torch.FloatTensor([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    try:
        H, W = image.shape
        kh, kw = kernel.shape
    except ValueError:
        raise ValueError("image and kernel must both be 2-D") from None
    Hp, Wp = H + 2 * padding, W + 2 * padding
    if kh > Hp or kw > Wp:
        raise ValueError("kernel does not fit")
    p = image.new_zeros((Hp, Wp))
    p[padding:Hp - padding, padding:Wp - padding] = image
    h_out = (Hp - kh) // stride + 1
    w_out = (Wp - kw) // stride + 1
    out = image.new_zeros((h_out, w_out))
    for a in range(kh):
        for b in range(kw):
            out = out + kernel[a, b] * p[a:a + stride * (h_out - 1) + 1:stride,
                                         b:b + stride * (w_out - 1) + 1:stride]
    return out


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return torch.sqrt(gh.pow(2) + gv.pow(2))

"""Exercise 01 - convolution with explicit index arithmetic and einsum."""

import torch
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    f = torch.zeros(3, 3)
    f[0] = 1
    f[2] = -1
    return f


def vertical_edge_filter() -> Tensor:
    f = torch.zeros(3, 3)
    f[:, 0] = 1
    f[:, 2] = -1
    return f


def laplacian_filter() -> Tensor:
    return 9 * torch.eye(3)[1].outer(torch.eye(3)[1]) - torch.ones(3, 3)


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    if image.dim() != 2:
        raise ValueError("image is not 2-D")
    if kernel.dim() != 2:
        raise ValueError("kernel is not 2-D")
    H, W = image.shape
    kh, kw = kernel.shape
    H_out = (H + 2 * padding - kh) // stride + 1
    W_out = (W + 2 * padding - kw) // stride + 1
    if H + 2 * padding < kh or W + 2 * padding < kw:
        raise ValueError("kernel does not fit in the padded image")
    padded = image.new_zeros(H + 2 * padding, W + 2 * padding)
    padded[padding:padding + H, padding:padding + W] = image
    rows = (torch.arange(H_out) * stride)[:, None] + torch.arange(kh)[None, :]   # (H_out, kh)
    cols = (torch.arange(W_out) * stride)[:, None] + torch.arange(kw)[None, :]   # (W_out, kw)
    patches = padded[rows[:, None, :, None], cols[None, :, None, :]]              # (H_out, W_out, kh, kw)
    return torch.einsum("ijab,ab->ij", patches, kernel)


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return (gh * gh + gv * gv) ** 0.5

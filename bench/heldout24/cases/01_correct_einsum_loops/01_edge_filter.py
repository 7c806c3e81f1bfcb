"""Exercise 01 - explicit index loops over the kernel, accumulating shifted slices."""

import torch
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    f = torch.zeros(3, 3, dtype=torch.float32)
    f[0, :] = 1
    f[2, :] = -1
    return f


def vertical_edge_filter() -> Tensor:
    f = torch.zeros(3, 3, dtype=torch.float32)
    f[:, 0] = 1
    f[:, 2] = -1
    return f


def laplacian_filter() -> Tensor:
    return torch.full((3, 3), -1.0) + 9.0 * torch.eye(3)[1:2].T @ torch.eye(3)[1:2]


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    if image.dim() != 2 or kernel.dim() != 2:
        raise ValueError("expected 2-D tensors")
    H, W = image.shape
    kh, kw = kernel.shape
    Hp, Wp = H + 2 * padding, W + 2 * padding
    if kh > Hp or kw > Wp:
        raise ValueError("kernel does not fit")
    padded = image.new_zeros(Hp, Wp)
    padded[padding:padding + H, padding:padding + W] = image
    H_out = (Hp - kh) // stride + 1
    W_out = (Wp - kw) // stride + 1
    out = image.new_zeros(H_out, W_out)
    for a in range(kh):
        for b in range(kw):
            window = padded[a:a + (H_out - 1) * stride + 1:stride, b:b + (W_out - 1) * stride + 1:stride]
            out = out + kernel[a, b] * window
    return out


def edge_magnitude(image: Tensor) -> Tensor:
    g = torch.stack([convolve2d(image, horizontal_edge_filter(), padding=1),
                     convolve2d(image, vertical_edge_filter(), padding=1)])
    return torch.linalg.vector_norm(g, dim=0)

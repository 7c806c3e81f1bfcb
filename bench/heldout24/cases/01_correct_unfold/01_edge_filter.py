"""Exercise 01 - convolution with unfold (im2col), vectorised."""

import torch
import torch.nn.functional as F
from torch import Tensor


def _filter(rows):
    return torch.tensor(rows, dtype=torch.float32)


def horizontal_edge_filter() -> Tensor:
    return _filter([[1, 1, 1], [0, 0, 0], [-1, -1, -1]])


def vertical_edge_filter() -> Tensor:
    return horizontal_edge_filter().T.contiguous()


def laplacian_filter() -> Tensor:
    k = -torch.ones(3, 3)
    k[1, 1] = 8
    return k


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D, got shape {tuple(image.shape)}")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D, got shape {tuple(kernel.shape)}")
    (H, W), (kh, kw) = image.shape, kernel.shape
    if H + 2 * padding < kh or W + 2 * padding < kw:
        raise ValueError("kernel larger than the padded image")
    h_out = (H + 2 * padding - kh) // stride + 1
    w_out = (W + 2 * padding - kw) // stride + 1
    cols = F.unfold(image[None, None], (kh, kw), padding=padding, stride=stride)  # (1, kh*kw, L)
    out = kernel.reshape(1, -1) @ cols[0]
    return out.reshape(h_out, w_out)


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return (gh.pow(2) + gv.pow(2)).sqrt()

"""Exercise 01 - Filters and convolution by hand (vectorised with unfold)."""

import torch
import torch.nn.functional as F
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    row = torch.ones(3)
    return torch.stack([row, torch.zeros(3), -row]).to(torch.float32)


def vertical_edge_filter() -> Tensor:
    return horizontal_edge_filter().t().contiguous()


def laplacian_filter() -> Tensor:
    k = -torch.ones(3, 3, dtype=torch.float32)
    k[1, 1] = 8.0
    return k


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D, got {image.ndim}-D")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D, got {kernel.ndim}-D")
    kh, kw = kernel.shape
    padded = F.pad(image, (padding, padding, padding, padding))
    if padded.shape[0] < kh or padded.shape[1] < kw:
        raise ValueError("kernel larger than the padded image")
    h_out = (padded.shape[0] - kh) // stride + 1
    w_out = (padded.shape[1] - kw) // stride + 1
    cols = F.unfold(padded[None, None], kernel_size=(kh, kw), stride=stride)  # (1, kh*kw, L)
    out = kernel.reshape(1, -1) @ cols[0]
    return out.reshape(h_out, w_out)


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return (gh * gh + gv * gv).sqrt()

"""Reference: filters and convolution by hand (tutorial 1.2.2; Part 7, exercise 3)."""

import torch
import torch.nn.functional as F
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    return torch.tensor([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]])


def vertical_edge_filter() -> Tensor:
    return torch.tensor([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]])


def laplacian_filter() -> Tensor:
    return torch.tensor([[-1.0, -1.0, -1.0], [-1.0, 8.0, -1.0], [-1.0, -1.0, -1.0]])


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    if image.dim() != 2 or kernel.dim() != 2:
        raise ValueError(f"image and kernel must be 2-D, got {image.dim()}-D and {kernel.dim()}-D")
    padded = F.pad(image, (padding, padding, padding, padding))
    kh, kw = kernel.shape
    if kh > padded.shape[0] or kw > padded.shape[1]:
        raise ValueError(f"kernel {tuple(kernel.shape)} does not fit in padded image {tuple(padded.shape)}")
    out_h = (padded.shape[0] - kh) // stride + 1
    out_w = (padded.shape[1] - kw) // stride + 1
    out = torch.empty(out_h, out_w, dtype=image.dtype)
    for i in range(out_h):
        for j in range(out_w):
            patch = padded[i * stride : i * stride + kh, j * stride : j * stride + kw]
            out[i, j] = (patch * kernel).sum()
    return out


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return torch.sqrt(gh**2 + gv**2)

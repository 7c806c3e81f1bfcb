"""Exercise 01 - Filters and convolution by hand."""

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
        raise ValueError("image and kernel must both be 2-D")
    H, W = image.shape
    kh, kw = kernel.shape
    if kh > H + 2 * padding or kw > W + 2 * padding:
        raise ValueError("the kernel does not fit inside the padded image")
    # conv2d wants (batch, channels, H, W)
    image.unsqueeze_(0).unsqueeze_(0)
    kernel.unsqueeze_(0).unsqueeze_(0)
    out = F.conv2d(image, kernel, stride=stride, padding=padding)
    return out[0, 0]


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return torch.sqrt(gh ** 2 + gv ** 2)

"""Exercise 01 - through F.conv2d (which is cross-correlation)."""

import torch
import torch.nn.functional as F
from torch import Tensor

_H = [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]


def horizontal_edge_filter() -> Tensor:
    return torch.tensor(_H, dtype=torch.float32)


def vertical_edge_filter() -> Tensor:
    return torch.tensor([[1, 0, -1]] * 3, dtype=torch.float32)


def laplacian_filter() -> Tensor:
    return torch.tensor([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], dtype=torch.float32)


def _check(image, kernel, padding):
    if len(image.shape) != 2 or len(kernel.shape) != 2:
        raise ValueError("convolve2d needs a 2-D image and a 2-D kernel")
    if any(k > s + 2 * padding for k, s in zip(kernel.shape, image.shape)):
        raise ValueError("the kernel does not fit")


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    _check(image, kernel, padding)
    out = F.conv2d(image[None, None], kernel[None, None], stride=stride, padding=padding)
    return out[0, 0]


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return torch.hypot(gh, gv)

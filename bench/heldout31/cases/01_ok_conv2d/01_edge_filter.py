"""Exercise 01 - using F.conv2d for the sliding window (it computes cross-correlation)."""

import torch
import torch.nn.functional as F
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    return torch.tensor([[1, 1, 1], [0, 0, 0], [-1, -1, -1]], dtype=torch.float32)


def vertical_edge_filter() -> Tensor:
    return torch.tensor([[1, 0, -1]] * 3, dtype=torch.float32)


def laplacian_filter() -> Tensor:
    return torch.full((3, 3), -1.0).index_put((torch.tensor([1]), torch.tensor([1])), torch.tensor([8.0]))


def _check(image, kernel, padding):
    if len(image.shape) != 2 or len(kernel.shape) != 2:
        raise ValueError("convolve2d works on 2-D image and kernel")
    ph = image.shape[0] + 2 * padding
    pw = image.shape[1] + 2 * padding
    if not (kernel.shape[0] <= ph and kernel.shape[1] <= pw):
        raise ValueError("the kernel does not fit")


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    _check(image, kernel, padding)
    x = image.reshape(1, 1, *image.shape)
    w = kernel.reshape(1, 1, *kernel.shape).to(image.dtype)
    return F.conv2d(x, w, stride=stride, padding=padding)[0, 0]


def edge_magnitude(image: Tensor) -> Tensor:
    g = [convolve2d(image, k, padding=1) for k in (horizontal_edge_filter(), vertical_edge_filter())]
    return (g[0].pow(2) + g[1].pow(2)).sqrt()

"""Exercise 01 - convolution through F.conv2d (which is cross-correlation)."""

import torch
import torch.nn.functional as F
from torch import Tensor

HORIZONTAL = [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]
VERTICAL = [[1, 0, -1]] * 3
LAPLACIAN = [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]


def horizontal_edge_filter() -> Tensor:
    return torch.tensor(HORIZONTAL).float()


def vertical_edge_filter() -> Tensor:
    return torch.tensor(VERTICAL).float()


def laplacian_filter() -> Tensor:
    return torch.tensor(LAPLACIAN).float()


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    if len(image.shape) != 2 or len(kernel.shape) != 2:
        raise ValueError("convolve2d needs a 2-D image and a 2-D kernel")
    padded = torch.zeros(image.shape[0] + 2 * padding, image.shape[1] + 2 * padding)
    padded[padding:padding + image.shape[0], padding:padding + image.shape[1]] = image
    if kernel.shape[0] > padded.shape[0] or kernel.shape[1] > padded.shape[1]:
        raise ValueError("the kernel does not fit inside the padded image")
    result = F.conv2d(padded.unsqueeze(0).unsqueeze(0), kernel.unsqueeze_(0).unsqueeze_(0), stride=stride)
    return result.squeeze(0).squeeze(0)


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return torch.hypot(gh, gv)

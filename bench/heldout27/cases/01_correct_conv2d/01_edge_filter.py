"""01_edge_filter: convolve2d through F.conv2d on 4-D views."""

import torch
import torch.nn.functional as F
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    return torch.tensor([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]])


def vertical_edge_filter() -> Tensor:
    return torch.tensor([[1.0, 0.0, -1.0]] * 3)


def laplacian_filter() -> Tensor:
    return torch.full((3, 3), -1.0) + 9.0 * torch.eye(3)[1].outer(torch.eye(3)[1])


def _check(image, kernel, padding):
    if len(image.shape) != 2 or len(kernel.shape) != 2:
        raise ValueError("expected 2-D image and kernel")
    if kernel.shape[0] > image.shape[0] + 2 * padding or kernel.shape[1] > image.shape[1] + 2 * padding:
        raise ValueError("kernel does not fit")


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    _check(image, kernel, padding)
    out = F.conv2d(image.unsqueeze(0).unsqueeze(0), kernel.unsqueeze(0).unsqueeze(0),
                   stride=stride, padding=padding)
    return out.squeeze(0).squeeze(0)


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return (gh * gh + gv * gv).sqrt()

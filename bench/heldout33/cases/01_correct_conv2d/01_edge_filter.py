import torch
import torch.nn.functional as F
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    return torch.FloatTensor([[1, 1, 1], [0, 0, 0], [-1, -1, -1]])


def vertical_edge_filter() -> Tensor:
    return torch.FloatTensor([[1, 0, -1]] * 3)


def laplacian_filter() -> Tensor:
    return torch.full((3, 3), -1.0) + torch.diag(torch.tensor([0.0, 9.0, 0.0]))


def _check(image, kernel, padding):
    if len(image.shape) != 2 or len(kernel.shape) != 2:
        raise ValueError("convolve2d takes a 2-D image and a 2-D kernel")
    ph, pw = image.shape[0] + 2 * padding, image.shape[1] + 2 * padding
    if not (kernel.shape[0] <= ph and kernel.shape[1] <= pw):
        raise ValueError("the kernel does not fit")


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    _check(image, kernel, padding)
    # conv2d is cross-correlation already: no flip
    out = F.conv2d(image.unsqueeze(0).unsqueeze(0), kernel.unsqueeze(0).unsqueeze(0),
                   stride=stride, padding=padding)
    return out.squeeze(0).squeeze(0)


def edge_magnitude(image: Tensor) -> Tensor:
    g = torch.stack([convolve2d(image, f(), padding=1) for f in (horizontal_edge_filter, vertical_edge_filter)])
    return g.pow(2).sum(0).sqrt()

"""Exercise 01 - Filters and convolution by hand (vectorised with unfold and einsum)."""

import torch
import torch.nn.functional as F
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    row = torch.tensor([1.0, 0.0, -1.0])
    return row.unsqueeze(1).repeat(1, 3)          # column [1, 0, -1] repeated across


def vertical_edge_filter() -> Tensor:
    return horizontal_edge_filter().T.contiguous()


def laplacian_filter() -> Tensor:
    k = -torch.ones(3, 3, dtype=torch.float32)
    k[1, 1] = 8.0
    return k


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D, got shape {tuple(image.shape)}")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D, got shape {tuple(kernel.shape)}")
    kh, kw = kernel.shape
    padded = F.pad(image, (padding, padding, padding, padding))   # a new tensor
    if kh > padded.shape[0] or kw > padded.shape[1]:
        raise ValueError("kernel larger than the padded image")
    # (1, 1, Hp, Wp) -> (1, kh*kw, L): every patch as a column
    cols = F.unfold(padded[None, None], kernel_size=(kh, kw), stride=stride)
    h_out = (padded.shape[0] - kh) // stride + 1
    w_out = (padded.shape[1] - kw) // stride + 1
    out = torch.einsum("k,kl->l", kernel.reshape(-1), cols[0])
    return out.reshape(h_out, w_out)


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return torch.hypot(gh, gv)

import torch
import torch.nn.functional as F
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    return torch.tensor([1.0, 0.0, -1.0]).unsqueeze(1).repeat(1, 3)


def vertical_edge_filter() -> Tensor:
    return horizontal_edge_filter().t().contiguous()


def laplacian_filter() -> Tensor:
    k = -torch.ones(3, 3)
    k[1, 1] = 8.0
    return k


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D, got shape {tuple(image.shape)}")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D, got shape {tuple(kernel.shape)}")
    kh, kw = kernel.shape
    padded = F.pad(image, (padding, padding, padding, padding))
    if padded.shape[0] < kh or padded.shape[1] < kw:
        raise ValueError("kernel larger than the padded image")
    # (H_out, W_out, kh, kw) windows: unfold along rows, then along columns
    windows = padded.unfold(0, kh, stride).unfold(1, kw, stride)
    return torch.einsum("ijab,ab->ij", windows, kernel)


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return torch.hypot(gh, gv)

import torch
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    return torch.tensor([1.0, 0.0, -1.0]).unsqueeze(1).repeat(1, 3)


def vertical_edge_filter() -> Tensor:
    return torch.tensor([1.0, 0.0, -1.0]).unsqueeze(0).repeat(3, 1)


def laplacian_filter() -> Tensor:
    return torch.tensor([[-1.0, -1.0, -1.0], [-1.0, 8.0, -1.0], [-1.0, -1.0, -1.0]])


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    if image.dim() != 2 or kernel.dim() != 2:
        raise ValueError("2-D tensors required")
    H, W = image.shape
    kh, kw = kernel.shape
    h_out = (H + 2 * padding - kh) // stride + 1
    w_out = (W + 2 * padding - kw) // stride + 1
    if h_out < 1 or w_out < 1:
        raise ValueError("kernel does not fit")
    big = image.new_zeros(H + 2 * padding, W + 2 * padding)
    big[padding:padding + H, padding:padding + W] = image
    windows = big.unfold(0, kh, stride).unfold(1, kw, stride)  # (h_out, w_out, kh, kw)
    return torch.einsum("ijab,ab->ij", windows, kernel)


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), 1, 1)
    gv = convolve2d(image, vertical_edge_filter(), 1, 1)
    return (gh * gh + gv * gv) ** 0.5

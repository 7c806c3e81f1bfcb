import torch
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    return torch.tensor([[1., 1., 1.], [0., 0., 0.], [-1., -1., -1.]], dtype=torch.float32)


def vertical_edge_filter() -> Tensor:
    return torch.tensor([[1., 0., -1.], [1., 0., -1.], [1., 0., -1.]], dtype=torch.float32)


def laplacian_filter() -> Tensor:
    return torch.tensor([[-1., -1., -1.], [-1., 8., -1.], [-1., -1., -1.]], dtype=torch.float32)


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    if image.dim() != 2 or kernel.dim() != 2:
        raise ValueError("image and kernel must be 2-D")
    H, W = image.shape
    kh, kw = kernel.shape
    Hp, Wp = H + 2 * padding, W + 2 * padding
    if kh > Hp or kw > Wp:
        raise ValueError("kernel does not fit in the padded image")
    padded = torch.zeros(Hp, Wp, dtype=image.dtype)
    padded[padding:padding + H, padding:padding + W] = image
    H_out = (Hp - kh) // stride + 1
    W_out = (Wp - kw) // stride + 1
    out = torch.zeros(H_out, W_out, dtype=image.dtype)
    for i in range(H_out):
        for j in range(W_out):
            patch = padded[i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[i, j] = (patch * kernel).sum()
    return out


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter())
    gv = convolve2d(image, vertical_edge_filter())
    return torch.sqrt(gh ** 2 + gv ** 2)

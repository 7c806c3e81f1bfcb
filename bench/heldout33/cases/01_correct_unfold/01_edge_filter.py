import torch
import torch.nn.functional as F
from torch import Tensor

_H = [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]


def horizontal_edge_filter() -> Tensor:
    return torch.tensor(_H, dtype=torch.float32)


def vertical_edge_filter() -> Tensor:
    return horizontal_edge_filter().T.contiguous()


def laplacian_filter() -> Tensor:
    k = -torch.ones(3, 3)
    k[1, 1] = 8.0
    return k


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D, got {image.ndim}-D")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D, got {kernel.ndim}-D")
    kh, kw = kernel.shape
    if kh > image.shape[0] + 2 * padding or kw > image.shape[1] + 2 * padding:
        raise ValueError("kernel larger than the padded image")
    x = F.pad(image, (padding, padding, padding, padding))
    cols = F.unfold(x[None, None], (kh, kw), stride=stride)  # (1, kh*kw, L)
    h_out = (x.shape[0] - kh) // stride + 1
    w_out = (x.shape[1] - kw) // stride + 1
    return (kernel.reshape(1, -1) @ cols[0]).reshape(h_out, w_out)


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return torch.hypot(gh, gv)

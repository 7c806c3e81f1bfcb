"""Exercise 01 - plain Python loops, padding handled by index checks (no padded copy)."""

import torch
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    return torch.tensor([[1.0] * 3, [0.0] * 3, [-1.0] * 3])


def vertical_edge_filter() -> Tensor:
    return torch.tensor([[1.0, 0.0, -1.0] for _ in range(3)])


def laplacian_filter() -> Tensor:
    return torch.tensor([[-1.0, -1.0, -1.0], [-1.0, 8.0, -1.0], [-1.0, -1.0, -1.0]], dtype=torch.float32)


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    if image.dim() != 2:
        raise ValueError("image is not 2-D")
    if kernel.dim() != 2:
        raise ValueError("kernel is not 2-D")
    H, W = image.shape
    kh, kw = kernel.shape
    h_out = (H + 2 * padding - kh) // stride + 1
    w_out = (W + 2 * padding - kw) // stride + 1
    if H + 2 * padding < kh or W + 2 * padding < kw:
        raise ValueError("kernel does not fit")
    img = image.tolist()
    ker = kernel.tolist()
    rows = []
    for i in range(h_out):
        row = []
        for j in range(w_out):
            acc = 0.0
            for a in range(kh):
                y = i * stride + a - padding
                if y < 0 or y >= H:
                    continue
                for b in range(kw):
                    x = j * stride + b - padding
                    if 0 <= x < W:
                        acc += img[y][x] * ker[a][b]
            row.append(acc)
        rows.append(row)
    return torch.tensor(rows, dtype=torch.float32).reshape(h_out, w_out)


def edge_magnitude(image: Tensor) -> Tensor:
    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return torch.sqrt(gh * gh + gv * gv)

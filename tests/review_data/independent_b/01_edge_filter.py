"""My convolution, vectorised with unfold."""

import torch

H = [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]]


def horizontal_edge_filter():
    return torch.tensor(H)


def vertical_edge_filter():
    return torch.tensor(H).T.clone()


def laplacian_filter():
    out = torch.full((3, 3), -1.0)
    out[1][1] = 8.0
    return out


def convolve2d(image, kernel, stride=1, padding=0):
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError("need 2-D tensors")
    x = torch.nn.functional.pad(image.clone(), [padding] * 4)
    if kernel.shape[0] > x.shape[0] or kernel.shape[1] > x.shape[1]:
        raise ValueError("kernel too large")
    windows = x.unfold(0, kernel.shape[0], stride).unfold(1, kernel.shape[1], stride)
    return torch.einsum("ijkl,kl->ij", windows, kernel)


def edge_magnitude(image):
    gx = convolve2d(image, horizontal_edge_filter(), 1, 1)
    gy = convolve2d(image, vertical_edge_filter(), 1, 1)
    return torch.hypot(gx, gy)

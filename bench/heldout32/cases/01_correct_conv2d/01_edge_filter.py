import torch
import torch.nn.functional as F
from torch import Tensor

H_FILTER = [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]
V_FILTER = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
L_FILTER = [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]


def horizontal_edge_filter() -> Tensor:
    return torch.tensor(H_FILTER, dtype=torch.float32)


def vertical_edge_filter() -> Tensor:
    return torch.tensor(V_FILTER).float()


def laplacian_filter() -> Tensor:
    return torch.FloatTensor(L_FILTER)


def _check(image, kernel, padding):
    if len(image.shape) != 2 or len(kernel.shape) != 2:
        raise ValueError("convolve2d needs a 2-D image and a 2-D kernel")
    if not (kernel.shape[0] <= image.shape[0] + 2 * padding and kernel.shape[1] <= image.shape[1] + 2 * padding):
        raise ValueError("the kernel does not fit in the padded image")


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    _check(image, kernel, padding)
    out = F.conv2d(image[None, None], kernel[None, None].to(image.dtype), stride=stride, padding=padding)
    return out[0, 0]


def edge_magnitude(image: Tensor) -> Tensor:
    gh, gv = (convolve2d(image, k, padding=1) for k in (horizontal_edge_filter(), vertical_edge_filter()))
    return (gh * gh + gv * gv).sqrt()

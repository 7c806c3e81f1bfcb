"""Oracle for exercise 01, in the pytest process only (a handout holds no oracle): what a
convolution loop with a classic slip computes, for grader/checking/conv_slips.py (`more=`). A
loop that computes a slip holds the right loop too, which a handout must not show."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def in_place_products(image, kernel, stride: int = 1, padding: int = 0) -> torch.Tensor:
    """The loop with `patch *= kernel` on a slice of the padded image: each window's product
    stays in the padded image, and the windows after it read it."""
    padded = F.pad(image, (padding,) * 4).clone()
    kh, kw = kernel.shape
    rows = (padded.shape[0] - kh) // stride + 1
    cols = (padded.shape[1] - kw) // stride + 1
    out = torch.zeros(rows, cols)
    for i in range(rows):
        for j in range(cols):
            patch = padded[i * stride : i * stride + kh, j * stride : j * stride + kw]
            patch.mul_(kernel)
            out[i, j] = patch.sum()
    return out


def slips(image, kernel, stride: int, padding: int) -> list[tuple[torch.Tensor, str]]:
    """[(values, words)]: the slips of a convolution loop that only a loop computes."""
    return [
        (
            in_place_products(image, kernel, stride, padding),
            "each window's product was written back into the padded image (an in-place "
            "multiply, such as patch *= kernel, on a slice, which is a view of it), so later "
            "windows read values already multiplied: multiply out of place, "
            "(patch * kernel).sum().",
        )
    ]

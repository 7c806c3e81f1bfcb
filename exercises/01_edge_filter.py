"""Exercise 01 - Filters and convolution by hand.

Tutorial: 1.2.2 "Convolution Operation" and Part 7, exercise 3 ("Create your own filter").

A filter (kernel) is a small grid of weights. Sliding it over an image and
summing kernel * patch at each position gives a new image that lights up where
the pattern of the filter appears: edges, for these three filters.

Check your work:  grader check edge_filter      Stuck?  grader hint edge_filter
All tensors are torch.float32.
"""

import torch
from torch import Tensor


def horizontal_edge_filter() -> Tensor:
    """Return the (3, 3) filter [[1, 1, 1], [0, 0, 0], [-1, -1, -1]] as float32.

    It responds to horizontal edges: bright above, dark below.
    """
    # TODO: build the tensor
    raise NotImplementedError


def vertical_edge_filter() -> Tensor:
    """Return the (3, 3) filter [[1, 0, -1], [1, 0, -1], [1, 0, -1]] as float32."""
    # TODO: build the tensor
    raise NotImplementedError


def laplacian_filter() -> Tensor:
    """Return the (3, 3) Laplacian [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]] as float32.

    This is the tutorial's edge-detection filter: zero on flat regions.
    """
    # TODO: build the tensor
    raise NotImplementedError


def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0) -> Tensor:
    """Slide `kernel` over `image` the way nn.Conv2d does, and return the result.

    image:  (H, W)      kernel: (kh, kw)
    1. Pad the image with `padding` zeros on every side: (H + 2*padding, W + 2*padding).
    2. For each output position (i, j), take the patch of the padded image that
       starts at row i*stride, column j*stride, multiply it element-wise by the
       kernel and sum. Do NOT flip the kernel (that is cross-correlation, which
       is what nn.Conv2d computes).
    Returns (H_out, W_out) with H_out = (H + 2*padding - kh) // stride + 1
    (and the same for W).

    Must not modify `image` or `kernel`.
    Raises ValueError if image or kernel is not 2-D, or if the kernel does not
    fit inside the padded image.
    """
    # TODO: check the inputs, pad, then loop (or vectorise) over output positions
    raise NotImplementedError


def edge_magnitude(image: Tensor) -> Tensor:
    """(H, W) -> (H, W): how strong the edge is at each pixel.

    gh = convolve2d(image, horizontal_edge_filter(), padding=1)
    gv = convolve2d(image, vertical_edge_filter(), padding=1)
    return sqrt(gh**2 + gv**2)
    """
    # TODO: combine your two filters and convolve2d
    raise NotImplementedError

import torch


def horizontal_edge_filter():
    k = torch.zeros(3, 3)
    k[0, :] = 1
    k[2, :] = -1
    return k


def vertical_edge_filter():
    return horizontal_edge_filter().t().contiguous()


def laplacian_filter():
    lap = -torch.ones(3, 3)
    lap[1, 1] = 8
    return lap


def convolve2d(image, kernel, stride=1, padding=0):
    if len(image.shape) != 2:
        raise ValueError("image should be 2-D")
    if len(kernel.shape) != 2:
        raise ValueError("kernel should be 2-D")
    rows, cols = image.shape
    big = torch.zeros(rows + 2 * padding, cols + 2 * padding)
    big[padding : padding + rows, padding : padding + cols] = image
    krows, kcols = kernel.shape
    if krows > big.shape[0] or kcols > big.shape[1]:
        raise ValueError("the kernel is bigger than the image")
    result = []
    r = 0
    while r + krows <= big.shape[0]:
        line = []
        c = 0
        while c + kcols <= big.shape[1]:
            window = big[r : r + krows, c : c + kcols]
            line.append(torch.sum(window * kernel))
            c += stride
        result.append(torch.stack(line))
        r += stride
    return torch.stack(result)


def edge_magnitude(image):
    h = convolve2d(image, horizontal_edge_filter(), padding=1)
    v = convolve2d(image, vertical_edge_filter(), padding=1)
    return (h * h + v * v).sqrt()

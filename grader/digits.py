"""Procedurally drawn 28x28 digits: MNIST-like data, offline and deterministic by seed.

Each digit class is a skeleton of strokes (lines, arcs, curves) in a unit box.
Every sample bends it with its own random affine map and a smooth wobble, draws
it with its own pen width by distance to the strokes, and adds a faint noise
and sometimes a stray mark. The same seed always gives the same images; the
images are normalised like MNIST (mean 0.1307, std 0.3081), so a model trained
here meets the same scale as on real MNIST.

    python -m grader.digits --preview     # prints a few digits as text
"""

from __future__ import annotations

import argparse
import math

import torch
from torch.utils.data import DataLoader, TensorDataset

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081
SIDE = 28


def _arc(cx, cy, rx, ry, start, end, steps):
    angles = torch.linspace(math.radians(start), math.radians(end), steps + 1)
    return torch.stack([cx + rx * torch.cos(angles), cy + ry * torch.sin(angles)], 1)


def _curve(p0, p1, p2, steps=6):
    t = torch.linspace(0, 1, steps + 1)[:, None]
    p0, p1, p2 = (torch.tensor(p) for p in (p0, p1, p2))
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * p1 + t**2 * p2


def _line(*points):
    return torch.tensor(points, dtype=torch.float32)


def _skeletons() -> list[list[torch.Tensor]]:
    """Polylines per class, x to the right and y down, in a unit box."""
    return [
        [_arc(0.5, 0.5, 0.28, 0.4, 0, 360, 14)],
        [_line((0.35, 0.24), (0.52, 0.1), (0.52, 0.9))],
        [
            torch.cat(
                [_arc(0.5, 0.32, 0.26, 0.22, 200, 380, 7), _line((0.2, 0.9), (0.82, 0.9))[:0]]
            ),
            _line((0.74, 0.4), (0.2, 0.9), (0.82, 0.9)),
        ],
        [_arc(0.48, 0.3, 0.25, 0.2, -160, 90, 8), _arc(0.48, 0.7, 0.28, 0.2, -90, 160, 8)],
        [_line((0.66, 0.9), (0.66, 0.1), (0.2, 0.64), (0.84, 0.64))],
        [_line((0.76, 0.1), (0.32, 0.1), (0.28, 0.46)), _arc(0.5, 0.66, 0.27, 0.24, -130, 150, 8)],
        [_curve((0.7, 0.1), (0.24, 0.22), (0.26, 0.68)), _arc(0.5, 0.68, 0.24, 0.22, 0, 360, 10)],
        [_line((0.2, 0.12), (0.8, 0.12), (0.42, 0.9))],
        [_arc(0.5, 0.29, 0.2, 0.19, 0, 360, 10), _arc(0.5, 0.7, 0.25, 0.21, 0, 360, 10)],
        [_arc(0.5, 0.32, 0.24, 0.21, 0, 360, 10), _curve((0.74, 0.32), (0.74, 0.72), (0.44, 0.9))],
    ]


def _densify(polyline: torch.Tensor, spacing: float = 0.025) -> torch.Tensor:
    """Points along a polyline no further apart than `spacing` (about half a pixel)."""
    pieces = []
    for a, b in zip(polyline[:-1], polyline[1:]):
        steps = max(1, math.ceil(float((b - a).norm()) / spacing))
        t = torch.arange(steps, dtype=torch.float32)[:, None] / steps
        pieces.append(a + t * (b - a))
    pieces.append(polyline[-1:])
    return torch.cat(pieces)


def _point_table() -> tuple[torch.Tensor, torch.Tensor]:
    """(10, P, 2) stroke points per class, and a (10, P) mask of the real ones."""
    per_class = [torch.cat([_densify(s) for s in strokes]) for strokes in _skeletons()]
    longest = max(len(p) for p in per_class)
    table, mask = torch.zeros(10, longest, 2), torch.zeros(10, longest)
    for digit, points in enumerate(per_class):
        table[digit, : len(points)] = points
        mask[digit, : len(points)] = 1.0
    return table, mask


_TABLE, _MASK = _point_table()
_PENS = (0.55, 0.75, 0.95)  # Gaussian pen widths in pixels
_PEN_KERNELS = []
for _sigma in _PENS:
    _r = torch.arange(-3, 4, dtype=torch.float32)
    _k = torch.exp(-(_r[:, None] ** 2 + _r[None, :] ** 2) / (2 * _sigma**2))
    _PEN_KERNELS.append((_k / _k.sum()).view(1, 1, 7, 7))


def _splat(points: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Bilinear deposit of (N, P, 2) pixel-space points into (N, 28, 28) grids."""
    n, p, _ = points.shape
    base = points.floor()
    frac = points - base
    grid = torch.zeros(n * SIDE * SIDE)
    offsets = torch.arange(n).repeat_interleave(p) * SIDE * SIDE
    for dx in (0, 1):
        for dy in (0, 1):
            x = base[..., 0].long().flatten() + dx
            y = base[..., 1].long().flatten() + dy
            wx = frac[..., 0] if dx else 1 - frac[..., 0]
            wy = frac[..., 1] if dy else 1 - frac[..., 1]
            w = (wx * wy * weights).flatten()
            inside = (x >= 0) & (x < SIDE) & (y >= 0) & (y < SIDE)
            grid.index_add_(0, (offsets + y * SIDE + x)[inside], w[inside])
    return grid.view(n, SIDE, SIDE)


def make_digits(
    n: int, seed: int, *, normalize: bool = True, chunk: int = 1000
) -> tuple[torch.Tensor, torch.Tensor]:
    """`n` digits from `seed`: images (n, 1, 28, 28) float32 and labels (n,) int64, balanced."""
    gen = torch.Generator().manual_seed(seed)
    labels = torch.arange(n) % 10
    labels = labels[torch.randperm(n, generator=gen)]
    images = torch.empty(n, 1, SIDE, SIDE)
    for begin in range(0, n, chunk):
        part = labels[begin : begin + chunk]
        images[begin : begin + chunk, 0] = _render(part, gen)
    if normalize:
        images = (images - MNIST_MEAN) / MNIST_STD
    return images, labels


def _uniform(gen, n, low, high):
    return low + (high - low) * torch.rand(n, generator=gen)


def _render(labels: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    n = len(labels)
    points = _TABLE[labels] - 0.5  # centre the unit box on the origin
    weights = _MASK[labels]
    # a smooth wobble: each stroke point moves with a low-frequency wave
    amp = _uniform(gen, n * 2, 0.0, 0.06).view(n, 1, 2)
    freq = _uniform(gen, n * 2, 1.0, 3.0).view(n, 1, 2)
    phase = _uniform(gen, n * 2, 0.0, 2 * math.pi).view(n, 1, 2)
    points = points + amp * torch.sin(freq * points.flip(-1) * 2 * math.pi + phase)
    # a random affine map: rotation, shear, scale, then placement in the 28x28 frame
    angle = _uniform(gen, n, -0.3, 0.3)
    shear = _uniform(gen, n, -0.35, 0.35)
    scale_x, scale_y = _uniform(gen, n, 14.0, 21.0), _uniform(gen, n, 16.0, 22.0)
    cos, sin = torch.cos(angle), torch.sin(angle)
    matrix = torch.stack(
        [
            torch.stack([cos * scale_x, (cos * shear - sin) * scale_y], -1),
            torch.stack([sin * scale_x, (sin * shear + cos) * scale_y], -1),
        ],
        -2,
    )
    shift = 13.5 + torch.stack([_uniform(gen, n, -2.5, 2.5), _uniform(gen, n, -2.5, 2.5)], -1)
    points = torch.einsum("nij,npj->npi", matrix, points) + shift[:, None, :]
    # some digits get a stray mark, the way real scans pick up specks and scratches
    start = torch.rand(n, 1, 2, generator=gen) * 24 + 2
    direction = torch.randn(n, 1, 2, generator=gen)
    stray = start + direction * torch.linspace(0, 2.5, 12).view(1, 12, 1)
    stray_weight = (torch.rand(n, 1, generator=gen) < 0.3).float().expand(n, 12)
    deposit = _splat(torch.cat([points, stray], 1), torch.cat([weights, stray_weight], 1))
    pen = torch.randint(len(_PENS), (n,), generator=gen)
    ink = torch.empty(n, SIDE, SIDE)
    for index, (sigma, kernel) in enumerate(zip(_PENS, _PEN_KERNELS)):
        chosen = pen == index
        if chosen.any():
            blurred = torch.nn.functional.conv2d(deposit[chosen, None], kernel, padding=3)[:, 0]
            ink[chosen] = (blurred * sigma * 4.0).clamp(0, 1)
    ink = ink * _uniform(gen, n, 0.75, 1.0)[:, None, None]
    noise = torch.randn(n, SIDE, SIDE, generator=gen) * 0.08
    return (ink + noise).clamp(0, 1)


# Digit sets drawn before a worker was forked (`keep`): 08's training digits depend only on the
# grading key and the check file, so the zygote draws them once and every worker inherits them.
_KEPT: dict[tuple[int, int], tuple[torch.Tensor, torch.Tensor]] = {}
KEEP_PREFIX = "digits:"  # a warm-up "digits:N:SEED": N digits from SEED, drawn before forking


def keep(warm_ups) -> None:
    """Draw the digit sets named among `warm_ups` ("digits:N:SEED"), with one thread as a worker
    would (the same values), unless drawn already."""
    for name in warm_ups:
        if not name.startswith(KEEP_PREFIX):
            continue
        n, seed = (int(part) for part in name[len(KEEP_PREFIX) :].split(":"))
        if (n, seed) not in _KEPT:
            torch.set_num_threads(1)
            _KEPT[(n, seed)] = make_digits(n, seed)


_SHARED: dict[tuple[int, int], tuple[torch.Tensor, torch.Tensor]] = {}


def shared_digits(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """make_digits(n, seed), drawn once per process and copied out: the held-out digits of a run
    are the same for every submission a grading process checks (a few seeds kept at most)."""
    if (n, seed) not in _SHARED:
        if len(_SHARED) >= 4:
            _SHARED.pop(next(iter(_SHARED)))
        _SHARED[(n, seed)] = make_digits(n, seed)
    images, labels = _SHARED[(n, seed)]
    return images.clone(), labels.clone()


def digit_loader(
    n: int, seed: int, batch_size: int = 64, shuffle: bool = True, relabel: list[int] | None = None
) -> DataLoader:
    """A loader over `n` digits from `seed`, shuffled with its own seeded generator; with
    `relabel`, digit d is labelled relabel[d] (a graded run's own glyph-to-label mapping)."""
    images, labels = _KEPT.get((n, seed)) or make_digits(n, seed)
    if relabel is not None:
        labels = torch.as_tensor(relabel, dtype=torch.int64)[labels]
    return DataLoader(
        TensorDataset(images, labels),
        batch_size=batch_size,
        shuffle=shuffle,
        generator=torch.Generator().manual_seed(seed),
    )


def ascii_art(image: torch.Tensor) -> str:
    shades = " .:-=+*#%@"
    pixels = (image.reshape(SIDE, SIDE) * MNIST_STD + MNIST_MEAN).clamp(0, 1)
    return "\n".join("".join(shades[int(v * 9.99)] * 2 for v in row) for row in pixels.tolist())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preview", type=int, nargs="?", const=4, default=4, metavar="N")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    images, labels = make_digits(options.preview, options.seed)
    for image, label in zip(images, labels):
        print(f"label {int(label)}\n{ascii_art(image)}\n")


if __name__ == "__main__":
    main()

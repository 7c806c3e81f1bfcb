"""What the anatomy modules share: the check's tolerance as one rule, values as float64, and
places and numbers as a learner reads them."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from grader.checking.tensor_text import number

__all__ = [
    "MAX_ELEMENTS",
    "Finding",
    "Tolerance",
    "as_double",
    "distinct",
    "index_text",
    "line",
    "number",
    "prefix",
]

# Larger tensors get the factual report alone: every pattern is a few passes over the values,
# and a check's message must not wait on them (a few ms at this size, below torch's grain for
# spreading one operation over threads, which a loaded machine makes costly).
MAX_ELEMENTS = 1 << 14
_SCREEN = 64  # values compared first, before a full pass


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float

    def close(self, actual: torch.Tensor, expected: torch.Tensor) -> bool:
        """compare.py's rule: |actual - expected| <= atol + rtol * |expected| everywhere, NaN equal
        to nothing; tensors of different shapes are never close."""
        if actual.shape != expected.shape:
            return False
        if actual.numel() > _SCREEN and not self._close(
            actual.reshape(-1)[:_SCREEN], expected.reshape(-1)[:_SCREEN]
        ):
            return False  # most patterns fail on their first values: no full pass for them
        return self._close(actual, expected)

    def _close(self, actual: torch.Tensor, expected: torch.Tensor) -> bool:
        return bool(torch.isclose(actual, expected, rtol=self.rtol, atol=self.atol).all())

    def differing(self, actual: torch.Tensor, expected: torch.Tensor) -> torch.Tensor:
        return ~torch.isclose(actual, expected, rtol=self.rtol, atol=self.atol)


@dataclass(frozen=True)
class Finding:
    """One proven sentence. `carries_value` when it quotes a number read from the values (a
    constant, a factor, an offset): a hidden check, whose inputs are secret, leaves it out."""

    text: str
    carries_value: bool = False


def as_double(tensor: torch.Tensor) -> torch.Tensor:
    return tensor.detach().to(device="cpu", dtype=torch.float64).contiguous()


def index_text(flat: int, shape: tuple[int, ...]) -> str:
    parts = []
    for size in reversed(shape):
        parts.append(flat % size)
        flat //= size
    return "[" + ", ".join(str(p) for p in reversed(parts)) + "]"


def prefix(x: torch.Tensor, count: int = _SCREEN) -> torch.Tensor:
    """The first values of a (contiguous) tensor, flat: elementwise patterns are tried there."""
    return x.reshape(-1)[:count]


def line(x: torch.Tensor, dim: int) -> torch.Tensor:
    """The values along `dim` at index 0 of every other dimension: a pattern along `dim` that
    fails there fails everywhere."""
    for d in range(x.dim()):
        if d != dim % x.dim():
            x = x.narrow(d, 0, 1)
    return x


def distinct(e: torch.Tensor, tol: Tolerance) -> int:
    """0, 1 or 2: how many values of `e` differ beyond the tolerance (2 means two or more)."""
    if e.numel() == 0:
        return 0
    return 1 if tol.close(e, torch.full_like(e, float(e.flatten()[0]))) else 2

"""Fold the zygote's anonymous memory into transparent huge pages, so that each fork is cheap.

A fork copies one page-table entry for every 4 KiB page of private memory, and the child's
exit frees them again: with torch imported, that costs more than most exercises' checks (the
figures: docs/performance.md). Folded into 2 MiB pages with `madvise(MADV_COLLAPSE)` (Linux 6.1 and
later), a fork copies one entry per 2 MiB instead; a page the child then writes to is split and
copied as before, so only what it touches is paid.

Folding the whole process takes a while, so the zygote does it a slice at a time while it waits
for requests (`Collapser.step`). Nothing here changes what any
process computes: it is only how the same memory is mapped. Where the call is missing or refused
(older kernels, transparent huge pages disabled), everything works as before, only slower.
"""

from __future__ import annotations

import ctypes

from grader.worker.libc import libc as _libc

MADV_COLLAPSE = 25
HUGE_PAGE = 2 << 20
SLICE = 8 * HUGE_PAGE  # small enough that the zygote stays quick to answer a fork request


_libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_libc.madvise.restype = ctypes.c_int


def foldable_ranges(maps: str) -> list[tuple[int, int]]:
    """The whole huge pages inside the private, writable, anonymous mappings (and the heap) of
    a /proc/PID/maps text: the memory a fork copies entry by entry. File mappings are left alone
    (their pages come from the page cache and are not copied at a fork anyway)."""
    ranges = []
    for line in maps.splitlines():
        fields = line.split()
        if len(fields) < 5:
            continue
        name = fields[5] if len(fields) > 5 else ""
        permissions = fields[1]
        if not permissions.startswith("rw") or permissions[3] != "p" or name not in ("", "[heap]"):
            continue
        low, high = (int(part, 16) for part in fields[0].split("-"))
        start, end = -(-low // HUGE_PAGE) * HUGE_PAGE, high // HUGE_PAGE * HUGE_PAGE
        if end > start:
            ranges.append((start, end))
    return ranges


def slices(ranges: list[tuple[int, int]], size: int = SLICE) -> list[tuple[int, int]]:
    """The ranges cut into pieces of at most `size` bytes (whole huge pages each)."""
    return [
        (start, min(start + size, end)) for low, end in ranges for start in range(low, end, size)
    ]


class Collapser:
    """Folds this process's memory one slice per `step()`, until `done`. `start()` scans the
    mappings afresh (memory allocated since, or split again by writes after a fork)."""

    def __init__(self) -> None:
        self._todo: list[tuple[int, int]] = []
        self.folded = 0  # bytes; 0 where the kernel refuses every slice

    def start(self) -> None:
        with open("/proc/self/maps", encoding="ascii") as maps:
            self._todo = slices(foldable_ranges(maps.read()))

    @property
    def done(self) -> bool:
        return not self._todo

    def step(self) -> None:
        start, end = self._todo.pop(0)
        if (
            _libc.madvise(start, end - start, MADV_COLLAPSE) == 0
        ):  # else: not supported, or not all foldable
            self.folded += end - start

"""The zygote folds its private memory into huge pages (cheap forks), and only the memory a fork
copies entry by entry: private, writable, anonymous mappings and the heap, in whole huge pages."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from grader.supervisor.zygote_client import Zygote
from grader.worker.hugepages import HUGE_PAGE, foldable_ranges, slices

MAPS = """\
00400000-00401000 r-xp 00000000 08:01 1234   /usr/bin/python3.11
55d0c0000000-55d0c0a00000 rw-p 00000000 00:00 0   [heap]
7f0000000000-7f0000500000 rw-p 00000000 00:00 0
7f0000600000-7f0000700000 rw-p 00000000 00:00 0
7f0000800000-7f0000c00000 rw-s 00000000 00:01 77   /dev/shm/shared
7f0001000000-7f0001400000 rw-p 00100000 08:01 99   /usr/lib/libtorch_cpu.so
7f0002000000-7f0002400000 r--p 00000000 00:00 0
7f0003000000-7f0003400000 rw-p 00000000 00:00 0   [stack]
7f0004100000-7f0004500000 rw-p 00000000 00:00 0
"""


def test_only_private_anonymous_memory_and_the_heap_in_whole_huge_pages():
    ranges = foldable_ranges(MAPS)
    assert ranges == [
        (0x55D0C0000000, 0x55D0C0A00000),  # the heap: 10 MiB, aligned
        (0x7F0000000000, 0x7F0000400000),  # 5 MiB of anonymous memory: its first two huge pages
        (
            0x7F0004200000,
            0x7F0004400000,
        ),  # starts 1 MiB into a huge page: the one whole page inside
    ]
    # left out: code, a 1 MiB mapping (no whole huge page), shared memory, a library's data,
    # read-only memory and the stack
    assert all(start % HUGE_PAGE == 0 and end % HUGE_PAGE == 0 for start, end in ranges)


def test_slices_cover_each_range_exactly_in_bounded_pieces():
    ranges = [(0, 10 * HUGE_PAGE), (20 * HUGE_PAGE, 21 * HUGE_PAGE)]
    pieces = slices(ranges, size=4 * HUGE_PAGE)
    assert pieces == [
        (0, 4 * HUGE_PAGE),
        (4 * HUGE_PAGE, 8 * HUGE_PAGE),
        (8 * HUGE_PAGE, 10 * HUGE_PAGE),
        (20 * HUGE_PAGE, 21 * HUGE_PAGE),
    ]


def _huge_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("AnonHugePages:"):
            return int(line.split()[1])
    return 0


def _folding_supported() -> bool:
    release = tuple(int(part) for part in os.uname().release.split(".")[:2] if part.isdigit())
    mode = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    return release >= (6, 1) and mode.exists() and "[never]" not in mode.read_text()


@pytest.mark.skipif(
    not _folding_supported(), reason="MADV_COLLAPSE needs Linux 6.1 and huge pages enabled"
)
def test_an_idle_zygote_folds_its_memory():
    zygote = Zygote()
    try:
        deadline = time.monotonic() + 60
        folded = 0
        while time.monotonic() < deadline and folded < 100 * 1024:
            time.sleep(0.5)
            folded = _huge_kib(zygote.process.pid)
    finally:
        zygote.close()
    assert folded >= 100 * 1024, (
        f"only {folded} KiB of the zygote's memory is in huge pages after 60 s"
    )

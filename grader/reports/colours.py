"""Colour scales for the figures' cells, and a PNG encoder by hand (zlib and struct: no imaging
library), for grids too large to draw cell by cell.

The diverging scale runs from blue (negative) through near-white (0) to orange (positive): the
ends of ColorBrewer's PuOr/RdBu, which readers with red-green colour blindness tell apart."""

from __future__ import annotations

import base64
import math
import struct
import zlib

RGB = tuple[int, int, int]
NEGATIVE: RGB = (0x21, 0x66, 0xAC)
ZERO: RGB = (0xF7, 0xF7, 0xF7)
POSITIVE: RGB = (0xB3, 0x58, 0x06)
MISSING: RGB = (0x88, 0x88, 0x88)  # a non-finite value
PAPER: RGB = (0xFF, 0xFF, 0xFF)
INK: RGB = (0x11, 0x11, 0x11)


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def diverging(value: float, limit: float) -> RGB:
    """`value` on a scale from -limit (blue) through 0 (white) to +limit (orange)."""
    if not math.isfinite(value):
        return MISSING
    t = max(-1.0, min(1.0, value / limit)) if limit > 0 else 0.0
    return _mix(ZERO, POSITIVE if t > 0 else NEGATIVE, abs(t))


def sequential(value: float, limit: float) -> RGB:
    """`value` from 0 (white) to `limit` (blue): counts."""
    if not math.isfinite(value):
        return MISSING
    return _mix(PAPER, NEGATIVE, max(0.0, min(1.0, value / limit)) if limit > 0 else 0.0)


def ink(value: float) -> RGB:
    """Ink from 0 (paper) to 1 (black)."""
    if not math.isfinite(value):
        return MISSING
    return _mix(PAPER, INK, max(0.0, min(1.0, value)))


def hex_colour(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def readable_on(rgb: RGB) -> str:
    """Text colour for a cell: white on dark, near-black on light."""
    return "#fff" if 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 140 else "#1d1d1d"


def png(rows: list[list[RGB]]) -> bytes:
    """An 8-bit RGB PNG of one pixel per cell."""
    height, width = len(rows), len(rows[0])
    raw = b"".join(b"\x00" + bytes(c for pixel in row for c in pixel) for row in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def png_data_uri(rows: list[list[RGB]]) -> str:
    return "data:image/png;base64," + base64.b64encode(png(rows)).decode("ascii")

"""The limits every worker runs under: their names, units, defaults and how they are written.

Defaults live in `workbook.toml` (`[limits]`); `--limit NAME=VALUE` (on `grader check` and on
pytest) overrides one for a run. Sizes take a unit (`4GiB`, `512MiB`, `64KiB`), times seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

_UNITS = {
    "": 1,
    "B": 1,
    "KIB": 1024,
    "MIB": 1024**2,
    "GIB": 1024**3,
    "KB": 1000,
    "MB": 1000**2,
    "GB": 1000**3,
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]i?B|B)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    """What one submission may use. `memory`, `cpu`, `processes`, `open_files`, `file_size` and
    `disk` hold for each exercise's worker; `submission_time` for all of a submission's checks."""

    submission_time: float = 900.0  # seconds of wall time for all checks of one submission
    cpu: float = 300.0  # seconds of CPU time for one exercise's worker
    memory: int = 4 * 1024**3  # bytes of data memory for one worker
    processes: int = 32  # processes and threads a worker may run at once
    open_files: int = 256
    file_size: int = 64 * 1024**2  # bytes, the largest file a worker may write
    output: int = 64 * 1024  # bytes of printed output kept per worker (the rest is cut)
    disk: int = 256 * 1024**2  # bytes a worker may write (its scratch folder and /tmp)

    def describe(self, name: str) -> str:
        """A limit as a person writes it: "4 GiB", "300 s", "32 processes"."""
        value = getattr(self, name)
        if name in _BYTES:
            return format_size(value)
        if name in ("submission_time", "cpu"):
            return f"{value:g} s"
        return f"{value}"


_BYTES = {"memory", "file_size", "output", "disk"}
NAMES = tuple(f.name for f in fields(Limits))


def format_size(size: int) -> str:
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor and size % (factor // 16 or 1) == 0:
            return f"{size / factor:g} {unit}"
    return f"{size} B"


def parse_value(name: str, text: str | int | float) -> int | float:
    """Parse one limit's value; ValueError says what is wrong with it."""
    if name not in NAMES:
        raise ValueError(f"unknown limit {name!r}; the limits are: {', '.join(NAMES)}")
    if isinstance(text, bool):
        raise ValueError(f"limit {name} must be a number, not {text!r}")
    if name in _BYTES:
        match = _SIZE.match(str(text))
        if not match:
            raise ValueError(f"limit {name} must be a size such as 4GiB or 512MiB, not {text!r}")
        value: int | float = int(float(match.group(1)) * _UNITS[(match.group(2) or "").upper()])
    else:
        try:
            value = float(text) if name in ("submission_time", "cpu") else int(text)
        except (TypeError, ValueError):
            raise ValueError(f"limit {name} must be a number, not {text!r}") from None
    if value <= 0:
        raise ValueError(f"limit {name} must be positive, not {text!r}")
    return value


def with_overrides(limits: Limits, overrides: list[str] | tuple[str, ...] | dict) -> Limits:
    """`limits` with `NAME=VALUE` strings (or a {name: value} table) applied."""
    pairs = overrides.items() if isinstance(overrides, dict) else [_split(o) for o in overrides]
    return replace(limits, **{name: parse_value(name, value) for name, value in pairs})


def _split(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep:
        raise ValueError(f"a limit is written NAME=VALUE (for example memory=2GiB), not {text!r}")
    return name.strip().replace("-", "_"), value.strip()

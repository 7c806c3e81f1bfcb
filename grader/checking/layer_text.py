"""A layer described by `grader.wire.probe_tools.describe_layer` (plain data) in words: which
of its settings differ from the expected layer's, so that a message names `padding` rather than
showing two tuples to compare."""

from __future__ import annotations

from typing import Any

_FIELDS = {
    "Conv2d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "bias"),
    "MaxPool2d": ("kernel_size", "stride"),
    "Linear": ("in_features", "out_features", "bias"),
}


def _setting(value: Any) -> str:
    if isinstance(value, tuple) and len(set(value)) == 1:
        return repr(value[0])  # (1, 1) is what padding=1 gives
    return repr(value)


def differences(got: Any, want: Any) -> str:
    """ "padding=0 (expected padding=1)" for each setting that differs, or "" when the layers are
    of different kinds (or not described)."""
    if not (isinstance(got, tuple) and isinstance(want, tuple)) or not got or not want:
        return ""
    fields = _FIELDS.get(want[0])
    if got[0] != want[0] or fields is None or len(got) != len(want):
        return ""
    return ", ".join(
        f"{field}={_setting(g)} (expected {field}={_setting(w)})"
        for field, g, w in zip(fields, got[1:], want[1:])
        if g != w
    )

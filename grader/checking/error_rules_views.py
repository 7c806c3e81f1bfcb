"""The words of two shape errors whose numbers alone do not say which of two slips made them:
a Linear that got one row of several samples' features, and a view whose sizes do not fit."""

from __future__ import annotations

import math
import re

from grader.checking.error_rules import Context


def flattened_batch(m: re.Match, c: Context) -> tuple[str, str]:
    rows, cols, expected, out = (int(g) for g in m.groups())
    if rows == 1 and cols > expected and cols % expected == 0:
        batch = cols // expected
        return (
            f"a layer that takes {expected} features per sample (a Linear({expected}, {out})) "
            f"got 1 row of {cols} = {batch} x {expected} values: either a batch of {batch} "
            "flattened into a single row (the batch dimension lost), or a single sample with "
            f"{batch} times the features the layer takes.",
            "print x.shape just before the layer: a batch is flattened per sample "
            "(x.view(x.size(0), -1) or torch.flatten(x, 1)); for a single sample, the layers "
            "before this one (their kernel sizes, padding, pooling and channels) decide its size."
            + c.at_line(),
        )
    # every part that sets the size is named: a kernel, a padding, a pooling, a channel count,
    # or a Linear's out_features before this one (a mutant's kernel of 4 was not in the list)
    before = (
        "the layers before it (their kernel sizes, padding, pooling and channels, or a "
        "Linear's out_features) decide that size"
    )
    samples = rows * cols // expected if rows * cols % expected == 0 else 0
    if 0 < samples < rows:  # the same values as `samples` rows of the right width
        return (
            f"a matrix product (a Linear layer, or @) needs the input's last size to equal the "
            f"layer's in_features ({expected}): the input has {rows} rows of {cols}, "
            f"{rows * cols} values in all, which {samples} rows of {expected} would hold.",
            "print x.shape just before the layer: flattened from a later dimension than the "
            "batch's, the features are split over more rows (torch.flatten(x, 1) keeps one row "
            f"per sample); else {before}." + c.at_line(),
        )
    return (
        f"a matrix product (a Linear layer, or @) needs the input's last size to equal the "
        f"layer's in_features: the input has {cols} features per row, the layer takes {expected}.",
        f"print x.shape just before the layer and compare it with in_features={expected}: "
        f"{before}." + c.at_line(),
    )


def view_size(m: re.Match, c: Context) -> tuple[str, str]:
    # the error proves only that the sizes do not fit; which size is wrong, the code decides
    sizes = [int(n) for n in m.group(1).replace(" ", "").split(",") if n]
    fixed = math.prod(n for n in sizes if n != -1)
    asks = f"the sizes other than -1 make {fixed:,}, which does not divide" if -1 in sizes else ""
    asks = asks or f"they hold {fixed:,} values, not"
    return (
        f"view/reshape was asked for the shape [{m.group(1)}]: {asks} the tensor's "
        f"{int(m.group(2)):,} values.",
        "print the tensor's shape just before this line and build each size from it "
        "(x.size(0) for a batch, -1 for the one size left to fill)." + c.at_line(),
    )

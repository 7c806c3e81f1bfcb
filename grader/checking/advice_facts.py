"""The facts an exercise's advice (checks/NN_<id>/rules.py) may ask for, by name: an advice
whose facts do not all hold is not said (the rule's general words are), so a folder's advice
never names a cause the error, the learner's line or the call's arguments do not show."""

from __future__ import annotations

from grader.checking.error_rules import Fact


def _padding_given(match, context) -> bool:
    padding = context.argument("padding")
    return type(padding) is int and padding > 0


def _no_padding(match, context) -> bool:
    padding = context.argument("padding")
    return padding is None or padding == 0


def _stride_given(match, context) -> bool:
    stride = context.argument("stride")
    return type(stride) is int and stride > 1


def _tuple_argument(match, context) -> bool:
    return any(type(value) is tuple for _, value in context.arguments)


FACTS: dict[str, Fact] = {
    # the failing call was asked to pad (padding=1, not padding=0 or no padding at all)
    "padding given": Fact("padding given", _padding_given),
    # the failing call asked for no padding (padding=0 or none): a missing pad cannot be it
    "no padding": Fact("no padding", _no_padding),
    # the failing call was asked to move its window by more than 1 (stride=2, not 1 or none)
    "stride given": Fact("stride given", _stride_given),
    # a size mismatch (sizes_differ) whose first operand is the smaller, as a patch cut short
    # by the image's edge is in `patch * kernel`
    "the first size smaller": Fact(
        "the first size smaller", lambda m, c: int(m.group(1)) < int(m.group(2))
    ),
    # a size mismatch (sizes_differ) in dimension 0, the rows of a 2-D patch
    "dimension 0 differs": Fact("dimension 0 differs", lambda m, c: m.group(3) == "0"),
    # one of the call's arguments is a tuple, such as kernel_size=(3, 5)
    "a tuple argument": Fact("a tuple argument", _tuple_argument),
    # the error itself says a tuple was multiplied (can't multiply sequence by ... 'tuple')
    "a tuple multiplied": Fact("a tuple multiplied", lambda m, c: m.group(1) == "tuple"),
}

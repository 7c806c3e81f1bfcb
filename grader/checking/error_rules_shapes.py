"""Error rules for shapes and sizes, layers and modules: what a learner's shape mistakes look
like in PyTorch's words."""

from __future__ import annotations

import re

from grader.checking.error_rules import Context, Fact, Rule, line_has, simple
from grader.checking.error_rules_views import flattened_batch, view_size

_MODULE_INIT_ATTRS = (
    "_parameters|_buffers|_modules|_backward_hooks|_backward_pre_hooks|_forward_hooks"
    "|_forward_pre_hooks|_state_dict_hooks|_non_persistent_buffers_set|_is_full_backward_hook"
    "|_forward_hooks_with_kwargs|_forward_hooks_always_called|_compiled_call_impl"
)
_FLOAT_SIZE = (
    "A size computed with `/` is a float (28 / 2 is 14.0) even when it divides evenly: "
    "use `//` (or int(...)) in size formulas."
)


def _module_init(m: re.Match, c: Context) -> tuple[str, str]:
    who = f"class {c.owner}" if c.owner else "your nn.Module class"
    init = f"{c.owner}.__init__" if c.owner else "__init__"
    return (
        f"{who} assigns {m.group(1)} to self before nn.Module has set itself up.",
        f"the first line of {init} must be super().__init__(), before any self.layer = ..."
        + c.at_line(),
    )


def _module_not_set_up(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        f"class {m.group(1)} is an nn.Module whose __init__ never called super().__init__(), so "
        f"nn.Module's own attributes (such as {m.group(2)}) were never made.",
        f"add super().__init__() as the first line of {m.group(1)}.__init__." + c.at_line(),
    )


def _forward_missing(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        f"the model class {m.group(1)} has no method named forward, so calling the model fails.",
        "define `def forward(self, x):` inside the class (spelled forward, indented under the "
        "class)." + c.at_line(),
    )


def _sizes_differ(m: re.Match, c: Context) -> tuple[str, str]:
    a, b, dim = m.groups()
    check = c.check("print the shapes of both operands on your line.")
    if _ARGMAX_DIM0.search(c.line):  # the learner's own line shows the cause
        check = (
            "argmax(dim=0) takes, for each class, the sample with the highest score: one value "
            "per class, not per sample. Use argmax(dim=1), over the classes, to get one "
            "prediction per sample." + c.at_line()
        )
    return (
        f"an element-wise operation (+, -, *, /) combined two tensors whose sizes differ in "
        f"dimension {dim} ({a} and {b}); broadcasting only stretches a size of 1.",
        check,
    )


_ARGMAX_DIM0 = re.compile(r"\.argmax\(\s*(?:dim\s*=\s*)?0\s*\)")


def _float_size(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        f"{m.group(1)}() could not read its sizes as whole numbers; the message is misleading: "
        "a size is not an int (a float, or a tensor).",
        _FLOAT_SIZE + c.at_line(),
    )


def _float_size_plain(m: re.Match, c: Context) -> tuple[str, str]:
    return ("a size or a count is a float where PyTorch needs an int.", _FLOAT_SIZE + c.at_line())


def _tuple_times_tuple(m: re.Match, c: Context) -> tuple[str, str]:
    check = c.check("print the types of the values multiplied on your line.")
    return (
        f"a tuple or list was multiplied by a {m.group(1)}: `*` on a tuple repeats it, so "
        "(3, 3) * 4 is a longer tuple, and a tuple times a tuple fails.",
        check,
    )


def _needs_batched(m: re.Match, c: Context) -> tuple[str, str]:
    low, high, op, size = m.groups()
    return (
        f"{op} takes a {low}-D (C, H, W) or {high}-D (B, C, H, W) tensor, but got one of size "
        f"[{size}].",
        "add the missing dimensions (x.unsqueeze(0) for a batch of one, x.unsqueeze(1) for the "
        "channel of (B, H, W) images) or keep them when reshaping." + c.at_line(),
    )


def _channels(m: re.Match, c: Context) -> tuple[str, str]:
    weight, shape, want, got = m.groups()
    return (
        f"a convolution with weight [{weight}] expects {want} channel(s) in dimension 1 of its "
        f"input, but the input [{shape}] has {got} there, and {want} in its last dimension: "
        "the input is channels-last (B, H, W, C).",
        "the input must be (B, C, H, W), channels second: x.permute(0, 3, 1, 2) turns "
        "(B, H, W, C) into it." + c.at_line(),
    )


def _channels_general(m: re.Match, c: Context) -> tuple[str, str]:
    weight, shape, want, got = m.groups()
    return (
        f"a convolution with weight [{weight}] expects {want} channel(s) in dimension 1 of its "
        f"input, but the input [{shape}] has {got} there.",
        "the input must be (B, C, H, W), and each conv's in_channels must equal the previous "
        "layer's out_channels." + c.at_line(),
    )


# the input's last size is the channels the conv expects (and its dimension 1 is not)
_CHANNELS_LAST = Fact(
    "channels in the last dimension",
    lambda m, c: m.group(2).split(",")[-1].strip() == m.group(3) != m.group(4),
)


RULES: tuple[Rule, ...] = (
    Rule(
        "flattened_batch",
        re.compile(r"mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)"),
        flattened_batch,
    ),
    Rule(
        "module_init",
        re.compile(r"cannot assign (module|parameters|buffers?) before Module.__init__\(\) call"),
        _module_init,
    ),
    Rule(
        "module_not_set_up",
        re.compile(r"'(\w+)' object has no attribute '(" + _MODULE_INIT_ATTRS + r")'"),
        _module_not_set_up,
    ),
    Rule(
        "forward_missing",
        re.compile(r'Module \[(\w+)\] is missing the required "forward" function'),
        _forward_missing,
    ),
    Rule(
        "recursion",
        re.compile(r"maximum recursion depth exceeded"),
        simple(
            "a function called itself without end.",
            "a forward that calls self(x) or self.forward(x) calls itself: call the layers.",
        ),
        needs=(line_has("the line calls self", r"\bself(?:\.forward)?\("),),
        general=simple(
            "a function called itself without end (directly or through another function).",
            "which of your functions calls itself, and what stops it.",
        ),
    ),
    Rule(
        "sizes_differ",
        re.compile(
            r"The size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) "
            r"at non-singleton dimension (\d+)"
        ),
        _sizes_differ,
    ),
    Rule(
        "float_size",
        re.compile(r"\b(zeros|ones|empty|rand|randn|full|zeros_like)\(\) takes 1 positional"),
        _float_size,
    ),
    Rule(
        "float_size_tuple",
        re.compile(
            r"must be tuple of ints, (?:but found element of type float|not float)"
            r"|type must be tuple of ints,\s*but got float"
            r"|'float' object cannot be interpreted as an integer"
            r"|received an invalid combination of arguments - got \((?:[^)]*\b)?float\b"
        ),
        _float_size_plain,
    ),
    Rule(
        "tuple_times",
        re.compile(r"can't multiply sequence by non-int of type '(\w+)'"),
        _tuple_times_tuple,
    ),
    Rule(
        "needs_4d",
        re.compile(
            r"Expected (\d)D \(unbatched\) or (\d)D \(batched\) input to (\w+), "
            r"but got input of size: \[([\d, ]*)\]"
        ),
        _needs_batched,
    ),
    Rule(
        "pool_needs_3d",
        re.compile(r"non-empty 3D or 4D \(batch mode\) tensor expected for input"),
        simple(
            "pooling takes a (C, H, W) or (B, C, H, W) tensor, but got one with fewer dimensions.",
            "the shape that reaches the pooling layer (print x.shape).",
        ),
    ),
    Rule(
        "channels",
        re.compile(
            r"weight of size \[([\d, ]+)\], expected input\[([\d, ]+)\] to have (\d+) channels, "
            r"but got (\d+) channels instead"
        ),
        _channels,
        needs=(_CHANNELS_LAST,),
        general=_channels_general,
    ),
    Rule(
        "kernel_too_big",
        re.compile(
            r"Calculated padded input size per channel: \((\d+ x \d+)\)\. "
            r"Kernel size: \((\d+ x \d+)\)"
        ),
        simple(
            "a convolution's input has shrunk to {0}, smaller than its kernel {1}.",
            "the image size each layer leaves (padding, pooling) and the input's size.",
        ),
    ),
    Rule(
        "pool_too_small",
        re.compile(r"Given input size: \(([\dx]+)\)\. Calculated output size: \(([\dx]+)\)"),
        simple(
            "a pooling layer's input ({0}) is too small to pool: the output would be {1}.",
            "the image size each layer leaves (padding, pooling) and the input's size.",
        ),
    ),
    Rule(
        "view_size",
        re.compile(r"shape '\[([-\d, ]+)\]' is invalid for input of size (\d+)"),
        view_size,
    ),
    Rule(
        "view_stride",
        re.compile(r"view size is not compatible with input tensor's size and stride"),
        simple(
            "view() cannot reshape this tensor without copying (it was permuted or transposed).",
            "use .reshape(...) (or .contiguous().view(...)).",
        ),
    ),
    Rule(
        "dim_range",
        re.compile(r"Dimension out of range \(expected to be in range of \[-(\d+), \d+\], but got"),
        simple(
            "a dim= argument names a dimension the tensor does not have: it has only {0} "
            "dimension(s).",
            "the tensor's shape there (print x.shape); for (B, classes) outputs the classes are "
            "dim=1.",
        ),
    ),
    Rule(
        "index_range",
        re.compile(r"index (-?\d+) is out of bounds for dimension (\d+) with size (\d+)"),
        simple(  # a loop counting up fails first at the size, however far past it it runs;
            # a value used as an index one too big (a label or prediction + 1) gives it too
            "index {0} does not exist in dimension {1}, whose size is {2} (valid: 0 to {2} - 1): "
            "it is the first index past the end, so a loop runs past that dimension's end, or "
            "the tensor was made smaller there than the loop expects (its sizes in another "
            "order, say), or a value used as an index (a label, a prediction) is one too big.",
            "the loop bounds (range(n) stops at n - 1), the sizes the tensor was made with, and "
            "any value used as an index.",
        ),
        needs=(Fact("the index is the size", lambda m, c: m.group(1) == m.group(3)),),
        general=simple(
            "index {0} does not exist in dimension {1}, whose size is {2} (valid: 0 to {2} - 1).",
            # an index past the size by more than one need not come from a loop: a value used as
            # an index (a label, a prediction of argmax over the wrong dim) gives it as often
            "where the index comes from (a loop bound, or a value used as an index, such as a "
            "label or a prediction) and the size of that dimension.",
        ),
    ),
)

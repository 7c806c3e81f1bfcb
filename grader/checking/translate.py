"""PyTorch's, torchvision's and Python's error messages in a learner's words: what the error
means here and what to check, with the learner's own line. Pure and torch-free: it reads only
the text a worker sent back.

A rule names a cause only when the error text (its numbers, its names) identifies it; otherwise it
says what the error means in general and what to look at, without guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# The student's frames as the worker cuts them (grader.worker.server._student_frames), and a
# syntax error's own header, which has no "in NAME".
_FRAME = re.compile(r'^\s*File "[^"\n]*", line (\d+)(?:, in ([^\n]+))?$(?:\n    (.+)$)?', re.M)
_MODULE_INIT_ATTRS = (
    "_parameters|_buffers|_modules|_backward_hooks|_backward_pre_hooks|_forward_hooks"
    "|_forward_pre_hooks|_state_dict_hooks|_non_persistent_buffers_set|_is_full_backward_hook"
    "|_forward_hooks_with_kwargs|_forward_hooks_always_called|_compiled_call_impl"
)
_FLOAT_SIZE = (
    "A size computed with `/` is a float (28 / 2 is 14.0) even when it divides evenly: "
    "use `//` (or int(...)) in size formulas."
)


@dataclass(frozen=True)
class Context:
    """Where the error happened: the learner's line, its number, the function (a qualified name
    such as SimpleCNN.__init__ when the worker knows it) and the exercise."""

    line: str = ""
    line_number: int | None = None
    function: str = ""
    exercise: str = ""

    def at_line(self) -> str:
        if not self.line:
            return ""
        code = self.line if len(self.line) <= 80 else self.line[:77] + "..."
        return f" Your line {self.line_number}: `{code}`."

    @property
    def owner(self) -> str:
        """The class of a method (SimpleCNN for SimpleCNN.__init__), else ""."""
        parts = self.function.split(".")
        return parts[-2] if len(parts) >= 2 and parts[-2] != "<locals>" else ""


Explain = Callable[[re.Match, Context], tuple[str, str]]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    explain: Explain


def learner_line(trace: str) -> tuple[str, int | None, str]:
    """The innermost of the learner's frames in a cut traceback: (code, line number, function)."""
    found = list(_FRAME.finditer(trace or ""))
    if not found:
        return "", None, ""
    last = found[-1]
    return (last.group(3) or "").strip(), int(last.group(1)), (last.group(2) or "").strip()


def _flattened_batch(m: re.Match, c: Context) -> tuple[str, str]:
    rows, cols, expected, out = (int(g) for g in m.groups())
    if rows == 1 and cols > expected and cols % expected == 0:
        batch = cols // expected
        return (
            f"a Linear layer that takes {expected} features per sample (its weight is "
            f"{expected}x{out}) got 1 row of {cols} = {batch} x {expected} values: that is a batch "
            f"of {batch} flattened into a single row, the batch dimension lost.",
            "flatten per sample: x.view(x.size(0), -1) or torch.flatten(x, 1), not x.view(-1) "
            "or torch.flatten(x)." + c.at_line(),
        )
    return (
        f"a matrix product (a Linear layer, or @) needs the input's last size to equal the "
        f"layer's in_features: the input has {cols} features per row, the layer takes {expected}.",
        f"print x.shape just before the layer and compare it with in_features={expected}: the "
        "layers before it (padding, pooling, channels) decide that size." + c.at_line(),
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


def _sizes_differ(m: re.Match, c: Context) -> tuple[str, str]:
    a, b, dim = m.groups()
    check = f"print the shapes of both operands on your line.{c.at_line()}"
    if c.exercise == "edge_filter":
        check = (
            "in convolve2d, a window at the edge is cut short when the image is not padded on "
            "every side: F.pad(image, (p, p)) pads only the last dimension (the width); "
            "(p, p, p, p) pads the height too. Check the output size formula as well." + c.at_line()
        )
    return (
        f"an element-wise operation (+, -, *, /) combined two tensors whose sizes differ in "
        f"dimension {dim} ({a} and {b}); broadcasting only stretches a size of 1.",
        check,
    )


def _float_size(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        f"{m.group(1)}() could not read its sizes as whole numbers; the message is misleading: "
        "a size is not an int (a float, or a tensor).",
        _FLOAT_SIZE + c.at_line(),
    )


def _float_size_plain(m: re.Match, c: Context) -> tuple[str, str]:
    return ("a size or a count is a float where PyTorch needs an int.", _FLOAT_SIZE + c.at_line())


def _tuple_times_tuple(m: re.Match, c: Context) -> tuple[str, str]:
    check = "print the types of the values multiplied on your line." + c.at_line()
    if c.exercise == "count_parameters":
        check = (
            "kernel_size may be an (kh, kw) tuple: unpack it first, e.g. kh, kw = kernel_size "
            "if isinstance(kernel_size, tuple) else (kernel_size, kernel_size)." + c.at_line()
        )
    return (
        f"a tuple or list was multiplied by a {m.group(1)}: `*` on a tuple repeats it, so "
        "(3, 3) * 4 is a longer tuple, and a tuple times a tuple fails.",
        check,
    )


def _normalize_first(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        "transforms.Normalize received a PIL image: it works on tensors only.",
        "put ToTensor() before Normalize(...) in transforms.Compose." + c.at_line(),
    )


def _to_tensor_twice(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        f"transforms.ToTensor received {m.group(1)}, but it converts PIL images (or numpy "
        "arrays) only: the image was already a tensor.",
        "ToTensor() once, first in transforms.Compose; the images must not be converted "
        "before the transform." + c.at_line(),
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
        f"input, but the input [{shape}] has {got} there.",
        "the input must be (B, C, H, W), channels second (not channels-last (B, H, W, C)), and "
        "each conv's in_channels must equal the previous layer's out_channels." + c.at_line(),
    )


def _batch_sizes(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        f"the loss got {m.group(1)} rows of outputs but {m.group(2)} labels: the model's output "
        "must have one row per image, (B, classes).",
        "a view/reshape before the loss (or in forward) must keep the batch dimension "
        "(x.view(x.size(0), -1)); and the loss's arguments are (outputs, labels)." + c.at_line(),
    )


def _target_shape(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        "CrossEntropyLoss takes labels as a 1-D tensor of class indices, shape (B,), but got a "
        "tensor with more dimensions (e.g. (B, 1) or one-hot (B, classes)).",
        "pass the labels as they come from the loader, and the arguments in the order "
        "criterion(outputs, labels)." + c.at_line(),
    )


def _target_dtype(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        f"the loss's labels must be int64 class indices, but they are {m.group(1)}.",
        "the arguments' order, criterion(outputs, labels), and that the labels are not "
        "converted to float." + c.at_line(),
    )


def _no_grad(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        "backward() was called on a tensor that is not connected to any parameter: autograd "
        "recorded nothing that led to it.",
        "the loss must be computed from the model's output in this call, outside torch.no_grad(), "
        "without .detach(), .item(), .data or torch.tensor(...) on the way." + c.at_line(),
    )


def _leaf_in_place(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        "a parameter (a leaf that requires grad) was changed in place (p -= ..., p.add_(...)) "
        "while autograd was recording.",
        "do the update inside `with torch.no_grad():`." + c.at_line(),
    )


def _backward_twice(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        "backward() ran a second time through a graph whose saved values the first backward freed.",
        "each backward() needs its own forward pass: call backward once per loss, and do not "
        "reuse a loss or output from an earlier step." + c.at_line(),
    )


def _dtypes(m: re.Match, c: Context) -> tuple[str, str]:
    a, b = m.group(1).strip(), m.group(2).strip()
    return (
        f"an operation mixed two dtypes ({a} and {b}); PyTorch does not convert between them "
        "for layers and matrix products.",
        "images and model inputs must be float32 (torch.tensor of Python ints is int64: use "
        ".float() or dtype=torch.float32); only labels are int64." + c.at_line(),
    )


def _not_tensor(m: re.Match, c: Context) -> tuple[str, str]:
    function, argument, got = m.groups()
    fix = {
        "list": "torch.tensor(...) turns a list into a tensor",
        "numpy.ndarray": "torch.from_numpy(...) turns an array into a tensor",
        "NoneType": "a function that returns nothing gives None: check its return",
        "tuple": "a tuple is not a tensor: index it or torch.stack(...) it",
    }.get(got, "pass a tensor")
    return (
        f"{function}() needs a Tensor as {argument!r} but got a {got}.",
        fix + "." + c.at_line(),
    )


def _forward_missing(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        f"the model class {m.group(1)} has no method named forward, so calling the model fails.",
        "define `def forward(self, x):` inside the class (spelled forward, indented under the "
        "class)." + c.at_line(),
    )


def _long_kernel(m: re.Match, c: Context) -> tuple[str, str]:
    return (
        f"an operation that needs floats ({m.group(1)}) received an integer ({m.group(2)}) tensor.",
        "the arguments' order (a loss takes (outputs, labels)) and that the values computed "
        "with are float32 (.float())." + c.at_line(),
    )


def _simple(meaning: str, check: str) -> Explain:
    return lambda m, c: (meaning.format(*m.groups()), check.format(*m.groups()) + c.at_line())


RULES: tuple[Rule, ...] = (
    Rule(
        "flattened_batch",
        re.compile(r"mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)"),
        _flattened_batch,
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
        "normalize_before_to_tensor",
        re.compile(r"img should be Tensor Image\. Got <class 'PIL\."),
        _normalize_first,
    ),
    Rule(
        "to_tensor_twice",
        re.compile(r"pic should be PIL Image or ndarray\. Got <class '([\w.]+)'>"),
        _to_tensor_twice,
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
        _simple(
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
    ),
    Rule(
        "batch_size",
        re.compile(r"Expected input batch_size \((\d+)\) to match target batch_size \((\d+)\)"),
        _batch_sizes,
    ),
    Rule(
        "target_shape",
        re.compile(r"0D or 1D target tensor expected, multi-target not supported"),
        _target_shape,
    ),
    Rule(
        "target_dtype",
        re.compile(r"expected target dtype to be Long or Byte, but got (\w+)"),
        _target_dtype,
    ),
    Rule(
        "target_range",
        re.compile(r"Target (-?\d+) is out of bounds"),
        _simple(
            "a label ({0}) is not a valid class index for the model's output: the output has "
            "fewer columns than there are classes.",
            "the last layer's out_features (10 for digits) and the labels' values.",
        ),
    ),
    Rule(
        "no_grad",
        re.compile(r"element 0 of tensors does not require grad and does not have a grad_fn"),
        _no_grad,
    ),
    Rule(
        "leaf_in_place",
        re.compile(r"a leaf Variable that requires grad is being used in an in-place operation"),
        _leaf_in_place,
    ),
    Rule(
        "backward_twice",
        re.compile(r"Trying to backward through the graph a second time"),
        _backward_twice,
    ),
    Rule(
        "dtypes",
        re.compile(
            r"mat1 and mat2 must have the same dtype, but got (\w+) and (\w+)"
            r"|expected m1 and m2 to have the same dtype, but got: ([\w ]+?) != ([\w ]+)$"
            r"|Input type \((\w+)\) and (?:bias|weight) type \((\w+)\) should be the same"
            r"|expected scalar type (\w+) but found (\w+)",
            re.M,
        ),
        lambda m, c: _dtypes(_Pair(m), c),
    ),
    Rule(
        "not_tensor",
        re.compile(r"(\w+)\(\): argument '(\w+)' \(position \d+\) must be Tensor, not ([\w.]+)"),
        _not_tensor,
    ),
    Rule(
        "forward_missing",
        re.compile(r'Module \[(\w+)\] is missing the required "forward" function'),
        _forward_missing,
    ),
    Rule(
        "long_kernel",
        re.compile(r'"(\w+)" not implemented for \'(Long|Int|Bool|Byte)\''),
        _long_kernel,
    ),
    Rule(
        "view_size",
        re.compile(r"shape '\[([-\d, ]+)\]' is invalid for input of size (\d+)"),
        _simple(
            "view/reshape was asked for the shape [{0}], whose sizes cannot hold the tensor's "
            "{1} values.",
            "the sizes in the view: use x.size(0) for the batch and -1 for the rest.",
        ),
    ),
    Rule(
        "view_stride",
        re.compile(r"view size is not compatible with input tensor's size and stride"),
        _simple(
            "view() cannot reshape this tensor without copying (it was permuted or transposed).",
            "use .reshape(...) (or .contiguous().view(...)).",
        ),
    ),
    Rule(
        "dim_range",
        re.compile(r"Dimension out of range \(expected to be in range of \[-(\d+), \d+\], but got"),
        _simple(
            "a dim= argument names a dimension the tensor does not have: it has only {0} "
            "dimension(s).",
            "the tensor's shape there (print x.shape); for (B, classes) outputs the classes are "
            "dim=1.",
        ),
    ),
    Rule(
        "index_range",
        re.compile(r"index (-?\d+) is out of bounds for dimension (\d+) with size (\d+)"),
        _simple(
            "index {0} does not exist in dimension {1}, whose size is {2} (valid: 0 to {2} - 1).",
            "the loop bounds and the size formula (an off-by-one?).",
        ),
    ),
    Rule(
        "item_many",
        re.compile(r"a Tensor with (\d+) elements cannot be converted to Scalar"),
        _simple(
            ".item() (or float()) needs a tensor of one value, but this one holds {0}.",
            "reduce it first (.sum(), .mean()) or take the value you meant.",
        ),
    ),
    Rule(
        "numpy_grad",
        re.compile(r"Can't call numpy\(\) on Tensor that requires grad"),
        _simple(
            "a tensor that autograd tracks cannot become a numpy array.",
            "use .detach() first, or compute it under torch.no_grad().",
        ),
    ),
    Rule(
        "bool_ambiguous",
        re.compile(r"Boolean value of Tensor with more than one value is ambiguous"),
        _simple(
            "a tensor of several values was used as True/False (in an if, while, and, or).",
            "use .any(), .all() or compare one value (.item()).",
        ),
    ),
    Rule(
        "kernel_too_big",
        re.compile(
            r"Calculated padded input size per channel: \((\d+ x \d+)\)\. "
            r"Kernel size: \((\d+ x \d+)\)"
        ),
        _simple(
            "a convolution's input has shrunk to {0}, smaller than its kernel {1}.",
            "the image size each layer leaves (padding, pooling) and the input's size.",
        ),
    ),
    Rule(
        "pool_too_small",
        re.compile(r"Given input size: \(([\dx]+)\)\. Calculated output size: \(([\dx]+)\)"),
        _simple(
            "a pooling layer's input ({0}) is too small to pool: the output would be {1}.",
            "the image size each layer leaves (padding, pooling) and the input's size.",
        ),
    ),
    Rule(
        "empty_parameters",
        re.compile(r"optimizer got an empty parameter list"),
        _simple(
            "the optimizer was given no parameters.",
            "that the model registers its layers (as attributes, or nn.ModuleList, not a plain "
            "list), and that model.parameters() (a generator, usable once) was not used up "
            "before.",
        ),
    ),
    Rule(
        "mean_of_ints",
        re.compile(r"mean\(\): could not infer output dtype\. .* Got: (\w+)"),
        _simple(
            "mean() was taken of a {0} tensor; it needs floats.",
            "convert first: (predictions == labels).float().mean().",
        ),
    ),
    Rule(
        "cast_in_place",
        re.compile(r"result type (\w+) can't be cast to the desired output type (\w+)"),
        _simple(
            "an in-place operation would store {0} values in a {1} tensor.",
            "the dtype of the tensor changed in place (make it float, or do not update in place).",
        ),
    ),
    Rule(
        "batchnorm_one",
        re.compile(r"Expected more than 1 value per channel when training"),
        _simple(
            "BatchNorm in training mode needs more than one value per channel (a batch of one?).",
            "use model.eval() for single samples, or batches larger than 1.",
        ),
    ),
    Rule(
        "recursion",
        re.compile(r"maximum recursion depth exceeded"),
        _simple(
            "a function called itself without end.",
            "a forward that calls self(x) or self.forward(x) calls itself: call the layers.",
        ),
    ),
    Rule(
        "name_undefined",
        re.compile(r"name '(torch|nn|F|np|optim|transforms|DataLoader|Dataset)' is not defined"),
        _simple(
            "the name {0} is used but never imported in your file.",
            "the imports at the top of the stub (did one get deleted?).",
        ),
    ),
)


class _Pair:
    """The two named dtypes of whichever alternative of the dtypes rule matched."""

    def __init__(self, match: re.Match) -> None:
        found = [g for g in match.groups() if g is not None]
        self._groups = (found[0], found[1])

    def group(self, index: int) -> str:
        return self._groups[index - 1]


def _syntax(type_name: str, message: str, context: Context) -> tuple[str, str]:
    where = f"line {context.line_number}" if context.line_number else "the line shown"
    what = "its indentation" if type_name in ("IndentationError", "TabError") else "its syntax"
    return (
        f"Python could not read your file ({what} at {where}), so none of this exercise's "
        "checks could run; the other exercises are not affected.",
        f"{where} and the line just before it (a missing bracket, colon or quote often shows "
        "one line later).",
    )


def translate(
    type_name: str, message: str, trace: str = "", function: str = "", exercise: str = ""
) -> str:
    """ "What this means: ...\\nWhat to check: ..." for an error raised by student code, or ""
    when no rule applies. `trace` is the traceback cut to the learner's file."""
    code, number, frame = learner_line(trace)
    context = Context(code, number, function or frame, exercise)
    if type_name in ("SyntaxError", "IndentationError", "TabError"):
        meaning, check = _syntax(type_name, message, context)
        return f"What this means: {meaning}\nWhat to check: {check}"
    for rule in RULES:
        match = rule.pattern.search(message or "")
        if match:
            meaning, check = rule.explain(match, context)
            return f"What this means: {meaning}\nWhat to check: {check}"
    return ""


def rule_for(message: str) -> str:
    """The name of the rule that translates `message` ("" for none): for tests and reports."""
    return next((r.name for r in RULES if r.pattern.search(message or "")), "")

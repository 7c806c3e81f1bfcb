"""Error rules for losses, autograd, dtypes, data and transforms."""

from __future__ import annotations

import re

from grader.checking.error_rules import Context, Rule, group_is, simple


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
    integer = any(re.search(r"long|int", t, re.I) for t in (a, b))
    return (
        f"an operation mixed two dtypes ({a} and {b}); PyTorch does not convert between them "
        "for layers and matrix products.",
        (
            "images and model inputs must be float32 (torch.tensor of Python ints is int64: use "
            ".float() or dtype=torch.float32); only labels are int64."
            if integer  # the int64 advice only when an integer dtype is one of the two
            else "that the model and its inputs have one dtype (.float() is float32)."
        )
        + c.at_line(),
    )


def _not_tensor(m: re.Match, c: Context) -> tuple[str, str]:
    function, argument, got = m.groups()
    fix = {
        "list": "torch.tensor(...) turns a list into a tensor",
        "numpy.ndarray": "torch.from_numpy(...) turns an array into a tensor",
        "NoneType": "a function that returns nothing gives None: check its return",
        # a tuple of tensors, or another argument (a size, F.pad's widths) given first
        "tuple": "a tuple is not a tensor: if it holds tensors, index it or torch.stack(...) "
        "it; if it is another argument (a size, F.pad's widths), the arguments are in another "
        "order",
    }.get(got, "pass a tensor")
    return (
        f"{function}() needs a Tensor as {argument!r} but got a {got}.",
        fix + "." + c.at_line(),
    )


def _long_kernel(m: re.Match, c: Context) -> tuple[str, str]:
    # the arguments' order only when the operation is a loss's (labels given as outputs)
    loss = re.search(r"loss|softmax", m.group(1), re.I)
    return (
        f"an operation that needs floats ({m.group(1)}) received an integer ({m.group(2)}) tensor.",
        ("the arguments' order (a loss takes (outputs, labels)) and that " if loss else "that ")
        + "the values computed with are float32 (.float())."
        + c.at_line(),
    )


class _Pair:
    """The two named dtypes of whichever alternative of the dtypes rule matched."""

    def __init__(self, match: re.Match) -> None:
        found = [g for g in match.groups() if g is not None]
        self._groups = (found[0], found[1])

    def group(self, index: int) -> str:
        return self._groups[index - 1]


RULES: tuple[Rule, ...] = (
    Rule(
        "normalize_before_to_tensor",
        re.compile(r"img should be Tensor Image\. Got <class 'PIL\."),
        _normalize_first,
    ),
    Rule(
        "to_tensor_twice",
        re.compile(r"pic should be PIL Image or ndarray\. Got <class '([\w.]+)'>"),
        _to_tensor_twice,
        needs=(group_is("a tensor was given", 1, lambda name: name == "torch.Tensor"),),
        general=simple(
            "transforms.ToTensor received a value of type {0}, but it converts PIL images (or "
            "numpy arrays) only.",
            "what the dataset hands the transform (a PIL image).",
        ),
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
        simple(
            "a label ({0}) is not a valid class index for the model's output: a label must be "
            "at least 0 and less than the output's number of columns.",
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
        "long_kernel",
        re.compile(r'"(\w+)" not implemented for \'(Long|Int|Bool|Byte)\''),
        _long_kernel,
    ),
    Rule(
        "item_many",
        re.compile(r"a Tensor with (\d+) elements cannot be converted to Scalar"),
        simple(
            ".item() (or float()) needs a tensor of one value, but this one holds {0}.",
            "reduce it first (.sum(), .mean()) or take the value you meant.",
        ),
    ),
    Rule(
        "numpy_grad",
        re.compile(r"Can't call numpy\(\) on Tensor that requires grad"),
        simple(
            "a tensor that autograd tracks cannot become a numpy array.",
            "use .detach() first, or compute it under torch.no_grad().",
        ),
    ),
    Rule(
        "bool_ambiguous",
        re.compile(r"Boolean value of Tensor with more than one value is ambiguous"),
        simple(
            "a tensor of several values was used as True/False (in an if, while, and, or).",
            "use .any(), .all() or compare one value (.item()).",
        ),
    ),
    Rule(
        "empty_parameters",
        re.compile(r"optimizer got an empty parameter list"),
        simple(
            "the optimizer was given no parameters.",
            "that the model registers its layers (as attributes, or nn.ModuleList, not a plain "
            "list), and that model.parameters() (a generator, usable once) was not used up "
            "before.",
        ),
    ),
    Rule(
        "mean_of_ints",
        re.compile(r"mean\(\): could not infer output dtype\. .* Got: (\w+)"),
        simple(
            "mean() was taken of a {0} tensor; it needs floats.",
            "convert first: (predictions == labels).float().mean().",
        ),
    ),
    Rule(
        "cast_in_place",
        re.compile(r"result type (\w+) can't be cast to the desired output type (\w+)"),
        simple(
            "an in-place operation would store {0} values in a {1} tensor.",
            "the dtype of the tensor changed in place (make it float, or do not update in place).",
        ),
    ),
    Rule(
        "batchnorm_one",
        re.compile(
            r"Expected more than 1 value per channel when training"
            r"(?:, got input size torch\.Size\(\[(\d+)[\d, ]*\]\))?"
        ),
        simple(
            "BatchNorm in training mode needs more than one value per channel, and this input "
            "is a batch of one.",
            "use model.eval() for single samples, or batches larger than 1.",
        ),
        needs=(group_is("a batch of one", 1, lambda size: size == "1"),),
        general=simple(
            "BatchNorm in training mode needs more than one value per channel.",
            "the shape that reaches the BatchNorm layer (print x.shape).",
        ),
    ),
    Rule(
        "name_undefined",
        re.compile(r"name '(torch|nn|F|np|optim|transforms|DataLoader|Dataset)' is not defined"),
        simple(
            "the name {0} is used but never imported in your file.",
            "the imports at the top of the stub (did one get deleted?).",
        ),
    ),
)

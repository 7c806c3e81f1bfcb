"""Checks for exercise 02, part two: the parameter counts computed by formula (conv2d, linear,
the tutorial's SimpleCNN). A wrong count is explained by a change of its formula confirmed on
the other cases (anatomy_counts.explain_formula), or by the parts the model is made of."""

import math
import operator

import pytest

from grader.checking.anatomy_counts import explain, explain_formula, one_change_counts, parts_of
from grader.checking.compare import expect_value, when
from grader.checking.formula_cases import elsewhere, layer_terms
from grader.checking.own_blocks import Block, OwnBlocks
from grader.checking.reproduce import Unless, reproduced


def _conv_terms(cin: int, cout: int, k, bias: bool) -> tuple:
    kh, kw = (k, k) if isinstance(k, int) else k
    return layer_terms(("in_channels", "out_channels", "kh", "kw"), (cin, cout, kh, kw), bias)


def _linear_terms(fin: int, fout: int, bias: bool) -> tuple:
    return layer_terms(("in_features", "out_features"), (fin, fout), bias)


CONV_CASES = [
    (1, 4, 3, True),
    (4, 8, 3, True),
    (3, 16, (3, 5), True),
    (2, 6, 1, False),
    (8, 8, (2, 4), False),
]


def _conv_count(in_channels: int, out_channels: int, kernel_size, bias: bool) -> int:
    """What nn.Conv2d holds: the trusted count the reproduced mistakes start from."""
    from torch import nn

    layer = nn.Conv2d(in_channels, out_channels, kernel_size, bias=bias)
    return sum(p.numel() for p in layer.parameters())


@pytest.mark.points(2)
@pytest.mark.public
def test_conv2d_param_count(submission):
    from torch import nn

    for cin, cout, k, bias in CONV_CASES:
        expected = sum(p.numel() for p in nn.Conv2d(cin, cout, k, bias=bias).parameters())
        kh, kw = (k, k) if isinstance(k, int) else k
        formula = lambda a, case=(cin, cout, k, bias): explain_formula(  # noqa: E731
            a,
            *_conv_terms(*case),
            others=elsewhere(submission.conv2d_param_count, case, CONV_CASES, _conv_terms),
        )
        expect_value(
            submission.conv2d_param_count(cin, cout, k, bias=bias),
            expected,
            what="conv2d_param_count",
            inputs=f"({cin}, {cout}, {k!r}, bias={bias})",
            explain=formula,
            likely=[
                when(
                    lambda a: not bias and a == expected + cout, "bias=False still adds the biases."
                ),
                when(
                    lambda a: a == expected - (cout if bias else 0),
                    "the biases (one per output channel) are missing.",
                ),
                # in_channels (or any one size) left out: explain_formula, confirmed elsewhere
                when(
                    lambda a: (
                        not isinstance(k, int) and a == cin * cout * kh * kh + (cout if bias else 0)
                    ),
                    "a (kh, kw) kernel_size is treated as square.",
                ),
                Unless(  # a swap that only moves the biases is also a bias per input
                    reproduced(
                        _conv_count,
                        [cin, cout, k, bias],
                        ["in_channels", "out_channels", "kernel_size", "bias"],
                        what="conv2d_param_count",
                        confirm=lambda i, o, k, b: submission.conv2d_param_count(i, o, k, bias=b),
                        others=CONV_CASES,
                    ),
                    formula,
                ),
            ],
        )


LINEAR_CASES = [(392, 64, True), (64, 10, True), (7, 3, False), (1, 1, True)]


@pytest.mark.points(1)
@pytest.mark.public
def test_linear_param_count(submission):
    for fin, fout, bias in LINEAR_CASES:
        expected = fin * fout + (fout if bias else 0)
        formula = lambda a, case=(fin, fout, bias): explain_formula(  # noqa: E731
            a,
            *_linear_terms(*case),
            others=elsewhere(submission.linear_param_count, case, LINEAR_CASES, _linear_terms),
        )
        expect_value(
            submission.linear_param_count(fin, fout, bias=bias),
            expected,
            what="linear_param_count",
            inputs=f"({fin}, {fout}, bias={bias})",
            explain=formula,
            likely=[
                when(
                    lambda a: not bias and a == fin * fout + fout,
                    "bias=False still adds the biases.",
                ),
                when(lambda a: a == fin * fout, "the biases (one per output feature) are missing."),
                Unless(  # a swap that only moves the biases is also a bias per input
                    reproduced(
                        lambda i, o, b: i * o + (o if b else 0),
                        [fin, fout, bias],
                        ["in_features", "out_features", "bias"],
                        what="linear_param_count",
                        confirm=lambda i, o, b: submission.linear_param_count(i, o, bias=b),
                        others=LINEAR_CASES,
                    ),
                    formula,
                ),
            ],
        )


def _own_layer_counts(submission) -> OwnBlocks:
    """The learner's own counts of the tutorial's four layers: when one is wrong, the total's
    slip may be all of it (one bias in place of out_channels makes 10 fewer, as fc2's bias)."""
    calls = [
        ("conv2d_param_count", (1, 4, 3), 40),
        ("conv2d_param_count", (4, 8, 3), 296),
        ("linear_param_count", (392, 64), 25152),
        ("linear_param_count", (64, 10), 650),
    ]

    def label(function: str, args: tuple) -> str:
        return f"{function}({', '.join(map(str, args))})"

    def block(function: str, args: tuple, right: int) -> Block:
        call = lambda: getattr(submission, function)(*args)  # noqa: E731
        return Block(label(function, args), call, right, operator.eq)

    def unshown(values) -> str:
        """An argument the learner's count ignores (the same count with it one more): the total
        cannot show that simple_cnn_param_count passes it."""
        labels, names = [], []
        for (function, args, _), value in zip(calls, values):
            for index, name in enumerate(_ARGUMENT_NAMES[function]):
                other = args[:index] + (args[index] + 1,) + args[index + 1 :]
                if getattr(submission, function)(*other) == value:
                    labels.append(label(function, args))
                    names.append(name)
        if not labels:
            return ""
        return (
            f"your total calls {' and '.join(dict.fromkeys(labels))} (your counts give the same "
            f"with another {' or '.join(dict.fromkeys(names))}, so the total cannot show it)"
        )

    return OwnBlocks(
        [block(function, args, right) for function, args, right in calls],
        compose=lambda values: sum(values) if all(type(v) is int for v in values) else None,
        whole="your total",
        how="the sum of your own conv2d_param_count and linear_param_count over its four layers",
        unshown=unshown,
    )


_ARGUMENT_NAMES = {
    "conv2d_param_count": ("in_channels", "out_channels", "kernel_size"),
    "linear_param_count": ("in_features", "out_features"),
}


@pytest.mark.points(1)
@pytest.mark.public
def test_simple_cnn_param_count(submission):
    own = _own_layer_counts(submission)
    expect_value(
        submission.simple_cnn_param_count(),
        26138,
        what="simple_cnn_param_count()",
        explain=lambda a: own.words(a, operator.eq) or ("" if own.wrong() else _explained(a)),
        likely=[
            when(
                lambda a: (
                    a == 26138 - 4 - 8 - 64 - 10 and not _by_layer_slip(a) and not own.wrong()
                ),
                "the biases are missing.",
            ),
            *(  # fc1 of another model's feature map (channels * side * side): its count
                when(
                    lambda a, x=x: (
                        a == 26138 + (x - 392) * 64
                        and not _by_parts(a)
                        and not _by_layer_slip(a)
                        and not own.wrong()
                    ),
                    f"your count is the right one with fc1 taking {x} inputs instead of 8 * 7 "
                    "* 7 = 392: conv2's 8 channels, and two poolings take 28 to 14 to 7.",
                )
                for x in FC1_INPUTS
            ),
        ],
    )


# feature-map sizes of the tutorial's model: channels 1, 4, 8; sides with and without padding
FC1_INPUTS = sorted({c * s * s for c in (1, 4, 8) for s in (28, 14, 7, 26, 13, 11, 5)} - {392})


def _explained(answer) -> str:
    """The parts' explanation with every layer of one argument one off that makes the same total
    said beside it (one number cannot tell them apart); nothing when a formula slip fits too."""
    if _by_layer_slip(answer, off_by_one=False):
        return ""
    words = _by_parts(answer)
    rivals = [w for w, count in _argument_off_by_one_totals() if count == answer]
    if words and rivals:
        return f"{words[:-1]}; the same number is the total with {' or with '.join(rivals)}."
    return "" if rivals else words


def _by_parts(answer) -> str:
    """The count explained by parts left out or added (a rival explanation), or ""."""
    return explain(answer, parts_of(_simple_cnn_layers())[0])


# the tutorial's layers as formula cases: (in, out, kernel) for a conv, (in, out) for a linear
_LAYER_CASES = {
    "conv1": _conv_terms(1, 4, 3, True),
    "conv2": _conv_terms(4, 8, 3, True),
    "fc1": _linear_terms(392, 64, True),
    "fc2": _linear_terms(64, 10, True),
}


def _by_layer_slip(answer, off_by_one: bool = True) -> bool:
    """Whether one slip inside one layer's formula (its channels swapped in the biases, a factor
    left out or put in place of another) also makes the total: a rival to every explanation by
    parts or by fc1's inputs, since one number cannot tell them apart (conv2's biases counted
    with its 4 input channels is also conv1's 4 biases left out)."""
    for factors, terms, absent in _LAYER_CASES.values():
        right = sum(math.prod(factors[n] for n in names) for names in terms.values())
        for words, count in one_change_counts(factors, terms, absent).items():
            # a whole term missing is the parts' own explanation; a term counted twice is
            # fc1 of twice the inputs, the likelier slip (784, the quick-start model's)
            if " are missing" not in words and "twice" not in words:
                if 26138 - right + count == answer:
                    return True
    return off_by_one and any(count == answer for _, count in _argument_off_by_one_totals())


_ARGUMENTS = {  # a call's argument: the factors it sets, and its words for a value
    "in": ({"in_channels", "in_features"}, "of {0} input{1}"),
    "out": ({"out_channels", "out_features"}, "of {0} output{1}"),
    "kernel": ({"kh", "kw"}, "with a {0}x{0} kernel"),
}


def _argument_off_by_one_totals() -> list[tuple[str, int]]:
    """(words, the total) with one layer's one call argument one more or one less (a kernel's
    side moves kh and kw together), never 0: fc2 of 63 inputs loses 10 values, as many as its
    bias (so does conv1 of 3 output channels), and one number cannot tell them apart."""
    found = []
    for layer, (factors, terms, _) in _LAYER_CASES.items():
        right = sum(math.prod(factors[n] for n in t) for t in terms.values())
        kind = " channels" if "in_channels" in factors else "s"
        for names, words in _ARGUMENTS.values():
            for step in (-1, 1):
                moved = {n: v + step if n in names else v for n, v in factors.items()}
                if all(moved.values()) and moved != factors:
                    value = next(moved[n] for n in names if n in moved)
                    count = sum(math.prod(moved[n] for n in t) for t in terms.values())
                    found.append((f"{layer} {words.format(value, kind)}", 26138 - right + count))
    return found


def _simple_cnn_layers():
    """The tutorial's SimpleCNN's layers by name, whose parts explain a wrong total."""
    from torch import nn

    layers = [nn.Conv2d(1, 4, 3), nn.Conv2d(4, 8, 3), nn.Linear(392, 64), nn.Linear(64, 10)]
    return nn.ModuleDict(dict(zip(["conv1", "conv2", "fc1", "fc2"], layers)))

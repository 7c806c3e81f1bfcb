"""Checks for exercise 02: counting parameters. The models are built in the worker by the driver."""

import pytest
import torch

from grader.checking.anatomy_counts import explain, explain_formula, pair_explainer, parts_of
from grader.checking.compare import expect_value, when
from grader.checking.formula_cases import elsewhere, layer_terms
from grader.checking.reproduce import Unless, reproduced

PAIR = ("total", "trainable")


def _counts(model):
    params = list(model.parameters())
    return sum(p.numel() for p in params), sum(p.numel() for p in params if p.requires_grad)


def _miscount_mistakes(model) -> list:
    """Ways of counting that every count_parameters check can tell apart: each is named only
    when the learner's pair is what that way of counting gives on this model."""
    params = list(model.parameters())

    def by(size, source=params):
        return sum(size(p) for p in source), sum(size(p) for p in source if p.requires_grad)

    walked = [p for m in model.modules() for p in m.parameters()]
    return [
        when(
            lambda a: type(a) is tuple and any(type(v) is torch.Tensor for v in a),
            "the counts are tensors (0-d ones, from torch.tensor(p.shape).prod() or a sum of "
            "tensors), not Python ints: use p.numel(), or .item() on the sum.",
        ),
        when(  # both numbers are the tensors' counts: (number of tensors, of trainable ones)
            lambda a: by(lambda p: 1) != _counts(model) and a == by(lambda p: 1),
            "the counts are the number of parameter tensors (a weight is one tensor), not the "
            "number of values in them: add up p.numel() for each parameter p.",
        ),
        when(
            lambda a: by(len) != _counts(model) and a == by(len),
            "len(p) counts only a parameter's first dimension (its rows); p.numel() counts "
            "all its elements.",
        ),
        when(
            lambda a: (
                by(lambda p: p.numel(), walked) != _counts(model)
                and a == by(lambda p: p.numel(), walked)
            ),
            "model.modules() yields the model itself and each of its layers, and each one's "
            ".parameters() includes its sublayers' parameters, so they are counted more than "
            "once: sum over model.parameters() alone.",
        ),
    ]


@pytest.mark.points(2)
@pytest.mark.public
def test_count_parameters_plain_model(submission, driver):
    expected = _counts(driver.build("plain"))
    expect_value(
        submission.drive("count_on", "plain"),
        expected,
        what="count_parameters(model) as (total, trainable)",
        inputs="Sequential(Conv2d(1, 5, 3), ReLU(), Flatten(), Linear(3380, 7))",
        likely=[
            when(
                lambda a: isinstance(a, int), "return both numbers as a tuple: (total, trainable)."
            ),
            when(lambda a: type(a) is list, "return a tuple, not a list."),
            *_miscount_mistakes(driver.build("plain")),
        ],
        fields=PAIR,
        explain=pair_explainer(driver.build("plain")),
    )


@pytest.mark.points(2)
@pytest.mark.public
def test_count_parameters_shared_weight(submission, driver):
    model = driver.build("shared")
    expected = _counts(model)
    twice = sum(p.numel() for _, p in model.named_parameters(remove_duplicate=False))
    expect_value(
        submission.drive("count_on", "shared"),
        expected,
        what="count_parameters on a model whose two heads share one weight",
        inputs="head_a = Linear(20, 6); head_b = Linear(20, 6, bias=False); "
        "head_b.weight = head_a.weight",
        likely=[
            when(
                lambda a: a[0] == twice,
                "the shared weight is counted twice. It is one tensor used by two layers: "
                "model.parameters() yields it once, but summing over every layer's own "
                "parameters (or named_parameters(remove_duplicate=False)) sees it twice.",
            ),
            *_miscount_mistakes(model),
        ],
        fields=PAIR,
        explain=pair_explainer(model),
    )


@pytest.mark.points(2)
@pytest.mark.public
def test_count_parameters_ignores_buffers(submission, driver):
    model = driver.build("batchnorm")
    expected = _counts(model)
    with_buffers = expected[0] + sum(b.numel() for b in model.buffers())
    with_float_buffers = expected[0] + sum(
        b.numel() for b in model.buffers() if b.is_floating_point()
    )
    expect_value(
        submission.drive("count_on", "batchnorm"),
        expected,
        what="count_parameters on a model with BatchNorm2d",
        inputs="Sequential(Conv2d(3, 4, 3), BatchNorm2d(4), Flatten(), Linear(4, 2))",
        likely=[
            when(
                lambda a: a[0] in (with_buffers, with_float_buffers),
                "buffers are counted as parameters. BatchNorm's running_mean, running_var "
                "and num_batches_tracked are in state_dict() but they are not learned: "
                "count model.parameters() only.",
            ),
            *_miscount_mistakes(model),
        ],
        fields=PAIR,
        explain=pair_explainer(model),
    )


@pytest.mark.points(2)
@pytest.mark.public
def test_count_parameters_frozen(submission, driver):
    model = driver.build("frozen")
    expected = _counts(model)
    expect_value(
        submission.drive("count_on", "frozen"),
        expected,
        what="count_parameters on a model whose first layer is frozen",
        inputs="Sequential(Linear(10, 8), ReLU(), Linear(8, 3)), first layer requires_grad=False",
        likely=[
            # each named only when the other number is right: (trainable, total) is a swap
            when(
                lambda a: a == (expected[1], expected[0]),
                f"the two values are swapped: ({expected[1]}, {expected[0]}) is (trainable, "
                "total); return (total, trainable).",
            ),
            when(
                lambda a: a == (expected[0], expected[0]),
                "frozen parameters are counted as trainable: count only parameters "
                "with p.requires_grad.",
            ),
            when(
                lambda a: a == (expected[1], expected[1]),
                "the total leaves out the frozen parameters: they are still parameters.",
            ),
            *_miscount_mistakes(model),
        ],
        fields=PAIR,
        explain=pair_explainer(model),
    )


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


@pytest.mark.points(1)
@pytest.mark.public
def test_simple_cnn_param_count(submission):
    expect_value(
        submission.simple_cnn_param_count(),
        26138,
        what="simple_cnn_param_count()",
        explain=lambda a: explain(a, parts_of(_simple_cnn_layers())[0]),
        likely=[
            when(lambda a: a == 26138 - 4 - 8 - 64 - 10, "the biases are missing."),
            when(
                lambda a: a == 26138 + (8 * 14 * 14 - 8 * 7 * 7) * 64,
                "fc1 is counted with 8 * 14 * 14 inputs: it takes 8 * 7 * 7 = 392, since two "
                "poolings take 28 to 14 to 7.",
            ),
        ],
    )


def _simple_cnn_layers():
    """The tutorial's SimpleCNN's layers by name, whose parts explain a wrong total."""
    from torch import nn

    layers = [nn.Conv2d(1, 4, 3), nn.Conv2d(4, 8, 3), nn.Linear(392, 64), nn.Linear(64, 10)]
    return nn.ModuleDict(dict(zip(["conv1", "conv2", "fc1", "fc2"], layers)))

"""Checks for exercise 02: counting parameters. The models are built in the worker by the driver
(the counts by formula are in check_02_count_parameters_formulas.py)."""

import pytest
import torch

from grader.checking.anatomy_counts import pair_explainer
from grader.checking.compare import expect_value, when

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

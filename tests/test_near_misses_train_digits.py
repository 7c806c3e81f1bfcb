"""08's account of how much fit trained (checks/08_train_digits/inputs.py), end to end: each said
on a fit that shows it, and silent on a near miss (a slow learning rate that still moves the
parameters). Each file is an edit of the reference; each trains for a few seconds of CPU."""

from __future__ import annotations

import pytest

from tests.test_gate_near_misses import NearMiss
from tests.test_gate_near_misses import (
    test_a_near_miss_loses_points_and_is_not_misnamed as graded_and_read,
)

_STEP = "            optimizer.step()\n"
_ADAM = "torch.optim.Adam(model.parameters(), lr=1e-3)"
_LOOP = "        for images, labels in train_loader:\n"
_CHECK = "held_out_accuracy_at_least"

CASES = [
    NearMiss(  # a return inside the loop: one backward pass
        "returns_after_one_batch",
        "train_digits",
        ((_STEP, _STEP + "            return\n"),),
        _CHECK,
        ("distinct digits", "updates were tiny"),
        ("fit ran only 1 backward pass in all, where one pass over the training digits is 157",),
    ),
    NearMiss(  # one batch per epoch, taken before the loop, trained on over and over
        "same_batch_over_and_over",
        "train_digits",
        (
            (
                _LOOP,
                "        images, labels = next(iter(train_loader))\n"
                "        for _ in range(len(train_loader)):\n",
            ),
        ),
        _CHECK,
        ("only 1 backward", "updates were tiny"),
        ("drew only 128 distinct digits of the 10,000 the loader holds",),
    ),
    NearMiss(  # SGD with a learning rate far too small: every tensor moves by under 1 %
        "lr_far_too_small",
        "train_digits",
        ((_ADAM, "torch.optim.SGD(model.parameters(), lr=1e-6)"),),
        _CHECK,
        ("distinct digits", "only 1 backward"),
        ("the updates were tiny, as a learning rate far too small",),
    ),
    NearMiss(  # no step at all: the worker saw no optimizer step
        "no_step",
        "train_digits",
        ((_STEP, ""),),
        _CHECK,
        ("another model", "zero_grad() between"),
        ("no torch.optim optimizer's step() ran",),
    ),
    NearMiss(  # zero_grad between backward and step: every step met gradients of None
        "zero_grad_before_step",
        "train_digits",
        ((_STEP, "            optimizer.zero_grad()\n" + _STEP),),
        _CHECK,
        ("step() is never called", "another model", "no torch.optim"),
        ("as zero_grad() between backward() and step() gives",),
    ),
    NearMiss(  # the optimizer over a copy of the model: steps, none over its parameters
        "optimizer_over_a_copy",
        "train_digits",
        (
            (_ADAM, "torch.optim.Adam(copy.deepcopy(model).parameters(), lr=1e-3)"),
            ("import torch\n", "import copy\n\nimport torch\n"),
        ),
        _CHECK,
        ("step() is never called", "zero_grad() between", "no torch.optim"),
        ("none over a parameter of this model",),
    ),
    NearMiss(  # SGD slow but moving: short of the thresholds, and not said to be tiny
        "lr_small_but_moving",
        "train_digits",
        ((_ADAM, "torch.optim.SGD(model.parameters(), lr=1e-3)"),),
        _CHECK,
        ("updates were tiny", "distinct digits", "only 1 backward"),
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("miss", CASES, ids=lambda m: m.name)
def test_said_on_the_fit_that_shows_it_or_silent(miss, tmp_path):
    graded_and_read(miss, tmp_path)


BUILT = [
    NearMiss(  # the class itself: said, as the worker saw an nn.Module subclass
        "returns_the_class",
        "train_digits",
        (("    return _TutorialCNN()\n", "    return _TutorialCNN\n"),),
        _CHECK,
        (),
        ("returned a class: an nn.Module subclass itself",),
    ),
    NearMiss(  # a function that makes the model: not a class, not said to be one
        "returns_a_maker",
        "train_digits",
        (("    return _TutorialCNN()\n", "    return lambda: _TutorialCNN()\n"),),
        _CHECK,
        ("returned a class",),
        ("It returned a function",),
    ),
]


@pytest.mark.parametrize("miss", BUILT, ids=lambda m: m.name)
def test_a_class_for_a_model_is_said_only_of_a_class(miss, tmp_path):
    graded_and_read(miss, tmp_path)

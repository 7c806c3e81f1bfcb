"""Checks for exercise 05, part two: sgd_step and compute_gradients (the train_step checks are
in check_05_training_step.py, which describes what they send and compare; train_epoch's in
check_05_training_step_epoch.py).
"""

import pytest
import torch

from grader.checking.compare import (
    describe,
    expect_tensor,
    fail,
    kind_of,
    when,
)
from grader.checking.compare_state import NO_GRAD_NEEDED, expect_state, same_state
from grader.checking.explain_errors import explain_errors


def _sgd(submission, inputs, setup, as_generator):
    with explain_errors(NO_GRAD_NEEDED):
        return submission.drive(
            "run_sgd_step", setup["state"], setup["stale"], inputs.LR, as_generator
        )


def _sgd_expected(oracle, expected, setup: dict, sign: float = -1.0) -> dict | None:
    """Plain SGD's parameters; with sign +1 the flipped update, a diagnosis (None if a handout
    lacks it)."""
    look_up = expected if sign < 0 else expected.optional
    return look_up("sgd", lambda: oracle.sgd_expected(setup, sign=sign), setup, sign)


@pytest.mark.points(1)
def test_sgd_step_updates_the_parameters(submission, inputs, oracle, expected, seeds):
    setup = inputs.make_setup(seeds.get("setup", 11))
    result = _sgd(submission, inputs, setup, as_generator=False)
    before, want = setup["state"], _sgd_expected(oracle, expected, setup)
    flipped = _sgd_expected(oracle, expected, setup, sign=+1.0)
    expect_state(
        result["state"],
        want,
        what="after sgd_step(list of parameters, lr=0.1)",
        before=before,
        facts={"learning rate": inputs.LR},
        likely=[
            when(
                lambda a: same_state(a, before),
                "nothing changed: every parameter still holds its value from before the call. "
                "Update each in place: p -= lr * p.grad (inside torch.no_grad()); a new tensor "
                "bound to the loop variable (p = p - lr * p.grad) changes nothing.",
            ),
            when(
                lambda a: flipped is not None and same_state(a, flipped),
                "the sign is flipped: gradient descent subtracts lr * grad.",
            ),
        ],
    )
    if result["value"] is not None:
        fail(
            f"sgd_step should return None, but returned {kind_of(result['value'])}.",
            f"It returned {describe(result['value'])}.",
        )


@pytest.mark.points(1)
def test_sgd_step_works_in_place(submission, inputs, oracle, expected, seeds):
    """One point: whether the storage was updated is a fact only the worker sees."""
    setup = inputs.make_setup(seeds.get("setup", 11))
    result = _sgd(submission, inputs, setup, as_generator=False)
    before, want = setup["state"], _sgd_expected(oracle, expected, setup)
    params = {name: want[name] for name in result["aliases"]}
    held = {name: before[name] for name in params}  # what the old storage held before the call
    expect_state(
        result["aliases"],
        params,
        what="the parameters' storage from before the call",
        likely=[  # new tensors only when the parameters themselves did move as they should
            when(
                lambda a: same_state(a, held) and same_state(result["state"], want),
                "the parameters were given new tensors (for example p.data = p - lr * p.grad) "
                "instead of being updated in place: whatever else holds them (an optimizer, a "
                "view) keeps the old values. Use p -= lr * p.grad or p.sub_(lr * p.grad), inside "
                "torch.no_grad().",
            ),
            when(
                lambda a: same_state(a, held) and same_state(result["state"], before),
                "nothing changed: every parameter still holds its value from before the call. "
                "Update each in place: p -= lr * p.grad (inside torch.no_grad()); a new tensor "
                "bound to the loop variable (p = p - lr * p.grad) changes nothing.",
            ),
        ],
    )


@pytest.mark.points(2)
def test_sgd_step_accepts_a_generator(submission, inputs, oracle, expected, seeds):
    setup = inputs.make_setup(seeds.get("setup", 11))
    result = _sgd(submission, inputs, setup, as_generator=True)
    before, want = setup["state"], _sgd_expected(oracle, expected, setup)

    def consumed_twice(actual) -> bool:
        """Each parameter either updated or untouched, some untouched, and a list works."""
        skipped = [n for n in want if not same_state({n: actual[n]}, {n: want[n]})]
        if not skipped or not all(same_state({n: actual[n]}, {n: before[n]}) for n in skipped):
            return False
        return same_state(_sgd(submission, inputs, setup, as_generator=False)["state"], want)

    expect_state(
        result["state"],
        want,
        what="after sgd_step(model.parameters(), lr=0.1)",
        before=before,
        facts={"learning rate": inputs.LR},
        likely=[
            when(
                consumed_twice,
                "the generator is consumed twice: some parameters were not updated from "
                "model.parameters(), though a list of the same parameters works. A generator can "
                "be iterated only once, so a first pass (any(...), len(list(...)), a check loop) "
                "takes items the update loop then misses. Iterate once, or make a list first.",
            )
        ],
    )


@pytest.mark.points(2)
def test_compute_gradients_are_fresh(submission, inputs, oracle, expected, seeds):
    setup = inputs.make_setup(seeds.get("setup", 11), norm=False)
    images, labels = setup["batches"][0]
    result = submission.drive(
        "run_compute_gradients", setup["state"], images, labels, setup["stale"]
    )
    want = expected("gradients", lambda: oracle.gradients(setup), setup)
    grads = result["result"]
    if not isinstance(grads, dict):
        fail(
            f"compute_gradients should return a dict {{name: gradient}}, got {kind_of(grads)}.",
            f"It returned {describe(grads)}.",
        )
    for name, grad in want.items():
        expect_tensor(
            grads.get(name),
            grad,
            what=f"compute_gradients(...)[{name!r}] (the model held old gradients)",
            atol=1e-5,
            rtol=1e-4,
            likely=[
                when(
                    lambda a, n=name, g=grad: torch.allclose(a, g + setup["stale"][n], atol=1e-4),
                    "stale gradients leak in: .grad already held values, and backward() adds "
                    "to them. Clear them first (model.zero_grad()).",
                )
            ],
        )


@pytest.mark.points(2)
def test_compute_gradients_complete_and_detached(submission, inputs, oracle, expected, seeds):
    setup = inputs.make_setup(seeds.get("setup", 11), norm=False)
    images, labels = setup["batches"][0]
    result = submission.drive("run_compute_gradients", setup["state"], images, labels, None)
    want = expected("gradients", lambda: oracle.gradients(setup), setup)
    grads = result["result"]
    if not isinstance(grads, dict):
        fail(
            f"compute_gradients should return a dict {{name: gradient}}, got {kind_of(grads)}.",
            f"It returned {describe(grads)}.",
        )
    missing = sorted(set(want) - set(grads))
    if missing:
        fail(
            f"compute_gradients has no entry for {missing}: every name of model.named_parameters() "
            "needs one, with zeros for a parameter the loss does not use."
        )
    for name, grad in want.items():  # the values too: zeros everywhere are not gradients
        expect_tensor(
            grads[name],
            grad,
            what=f"compute_gradients(...)[{name!r}]"
            + (" (a parameter the loss does not use)" if name == "unused" else ""),
            atol=1e-5,
            rtol=1e-4,
            likely=[
                when(lambda a: a is None, "its .grad is None: return torch.zeros_like(p) instead.")
            ],
        )
    expect_state(
        result["state"],
        setup["state"],
        what="the model after compute_gradients (it must not change)",
        likely=[
            when(
                lambda a: True,
                "compute_gradients changed the model's parameters: it must leave them as they "
                "were (no update, no optimizer step).",
            )
        ],
    )
    expect_state(
        result["after_zeroing"],
        grads,
        what="the returned gradients after the model's .grad tensors were zeroed",
        likely=[
            when(
                lambda a: True,
                "the returned tensors changed when the model's .grad tensors were zeroed: they "
                "share the .grad tensors' storage, so the next zero_grad() or backward() changes "
                "them. Return copies (p.grad.detach().clone()).",
            )
        ],
    )

"""Checks for exercise 05: one step of learning.

The checks send a model's parameters and buffers (with batch norm, so the mode shows in the
values), batches and old gradients; the driver runs the learner's function in the worker and sends
back the parameters and buffers afterwards. Every verdict compares those values with what the
oracle computes here (through `expected`: a handout replays its recorded values), and a mistake is
named only when its own numbers match the learner's. The inputs come from inputs.py.
"""

import pytest
import torch

from grader.checking.compare import (
    CheckFailure,
    Mistake,
    describe,
    expect_number,
    expect_tensor,
    explain_errors,
    fail,
    kind_of,
    when,
)
from grader.checking.known_mistakes import integer_division

NO_GRAD_NEEDED = {
    "leaf Variable that requires grad": "autograd refuses to record an in-place change of a "
    "parameter: do the update inside `with torch.no_grad():` (or decorate the function with "
    "@torch.no_grad()).",
}
MISTAKES = {
    "no_zero_grad": "gradients are not cleared before backward (no optimizer.zero_grad()): "
    "PyTorch adds new gradients to the old ones, so the step also applied the old gradients.",
    "zero_grad_after_backward": "zero_grad runs after backward: it wipes the gradients just "
    "computed, so step() has nothing to apply. Clear gradients before the forward pass.",
    "step_before_backward": "step() runs before backward(): it applies the old gradients (or "
    "none). Call backward first, then step.",
    "softmax_before_loss": "a softmax is applied before the loss: nn.CrossEntropyLoss applies "
    "log-softmax itself, so it takes the raw scores (logits). Pass model(images) to the criterion "
    "as it is.",
    "no_backward": "backward() is never called, so there are no new gradients for step() to "
    "apply: call loss.backward() between computing the loss and optimizer.step().",
    "eval_mode": "the model stayed in evaluation mode: call model.train() first (a model may "
    "arrive in eval mode after an evaluation; batch norm and dropout behave differently in the "
    "two modes).",
}


def _same(actual, expected: dict) -> bool:
    return (
        isinstance(actual, dict)
        and actual.keys() == expected.keys()
        and all(
            type(actual[k]) is torch.Tensor
            and actual[k].shape == expected[k].shape
            and torch.allclose(actual[k], expected[k], atol=1e-5, rtol=1e-4)
            for k in expected
        )
    )


def _expect_state(actual, expected: dict, *, what: str, likely=()) -> None:
    """Every tensor of `expected` in `actual`; the message names those that differ, and shows
    the first."""
    if not isinstance(actual, dict):
        fail(f"{what}: the model's state could not be read back.")
    differ = [n for n in expected if not _same({n: actual.get(n)}, {n: expected[n]})]
    if not differ:
        return
    try:
        expect_tensor(
            actual.get(differ[0]),
            expected[differ[0]],
            what=differ[0],
            atol=1e-5,
            rtol=1e-4,
            likely=[Mistake(lambda _a, m=m: m.matches(actual), m.message) for m in likely],
        )
    except CheckFailure as failure:
        named = ", ".join(differ[:6]) + (", ..." if len(differ) > 6 else "")
        fail(
            f"{what}: {len(differ)} of {len(expected)} tensors are wrong ({named}).",
            f"{failure.headline}\n{failure.details}",
            failure.mistake,
        )


ORDER_MISTAKES = (
    "no_zero_grad",
    "zero_grad_after_backward",
    "step_before_backward",
    "no_backward",
    "softmax_before_loss",
)


def _train_step_check(
    submission, inputs, oracle, expected, seeds, *, batches, stale, start_eval, what, variants
):
    setup = inputs.make_setup(seeds.get("setup", 11))
    chosen = [setup["batches"][i] for i in range(batches)]
    with explain_errors(NO_GRAD_NEEDED):
        result = submission.drive(
            "run_train_step",
            setup["state"],
            chosen,
            setup["stale"] if stale else None,
            start_eval,
            inputs.LR,
        )

    def run(variant):  # a mistake's numbers are a diagnosis: a handout may lack them (None)
        look_up = expected if variant == "correct" else expected.optional
        found = look_up(
            "train_steps",
            lambda: oracle.train_steps(
                setup, chosen, stale=stale, start_eval=start_eval, variant=variant
            ),
            setup,
            chosen,
            stale,
            start_eval,
            variant,
        )
        return None if found is None else found["state"]

    want = run("correct")
    # mistakes whose numbers coincide here are named together: which one it was cannot be told
    groups: list[tuple[dict, list[str]]] = []
    for variant in variants:
        state = run(variant)
        if state is None or _same(state, want):
            continue
        group = next((g for g in groups if _same(g[0], state)), None)
        if group is None:
            groups.append((state, [variant]))
        else:
            group[1].append(variant)
    _expect_state(
        result["state"],
        want,
        what=what,
        likely=[
            when(lambda a, state=state: _same(a, state), " Or: ".join(MISTAKES[v] for v in names))
            for state, names in groups
        ],
    )


@pytest.mark.points(2)
def test_train_step_returns_the_loss_as_float(submission, inputs, oracle, expected, seeds):
    setup = inputs.make_setup(seeds.get("setup", 11))
    result = submission.drive(
        "run_train_step", setup["state"], setup["batches"][:1], None, False, inputs.LR
    )
    want = expected(
        "train_steps",
        lambda: oracle.train_steps(
            setup, setup["batches"][:1], stale=False, start_eval=False, variant="correct"
        ),
        setup,
        setup["batches"][:1],
        False,
        False,
        "correct",
    )
    softmax_loss = _softmax_loss(oracle, expected, setup)  # always, so an export records it
    expect_number(
        result["values"][0],
        want["losses"][0],
        what="the value train_step returns",
        likely=[
            when(
                lambda a: type(a) is torch.Tensor,
                "the loss is returned as a tensor: return loss.item(), a Python float "
                "(a tensor keeps the whole graph alive and cannot be logged or averaged "
                "like a number).",
            ),
            when(lambda a: a is None, "train_step returns nothing: return loss.item()."),
            when(
                lambda a: softmax_loss is not None and abs(a - softmax_loss) < 1e-5,
                MISTAKES["softmax_before_loss"],
            ),
        ],
    )


def _softmax_loss(oracle, expected, setup) -> float | None:
    """The loss a softmax before CrossEntropyLoss gives (None where a handout did not record it)."""
    batches = setup["batches"][:1]
    steps = expected.optional(
        "train_steps",
        lambda: oracle.train_steps(
            setup, batches, stale=False, start_eval=False, variant="softmax_before_loss"
        ),
        setup,
        batches,
        False,
        False,
        "softmax_before_loss",
    )
    return None if steps is None else steps["losses"][0]


@pytest.mark.points(3)
def test_train_step_clears_old_gradients(submission, inputs, oracle, expected, seeds):
    _train_step_check(
        submission,
        inputs,
        oracle,
        expected,
        seeds,
        batches=1,
        stale=True,
        start_eval=False,
        what="after train_step on a model that held old gradients",
        variants=ORDER_MISTAKES,
    )


@pytest.mark.points(3)
def test_train_step_twice_in_a_row(submission, inputs, oracle, expected, seeds):
    _train_step_check(
        submission,
        inputs,
        oracle,
        expected,
        seeds,
        batches=2,
        stale=False,
        start_eval=False,
        what="after two train_steps in a row (as in a training loop)",
        variants=ORDER_MISTAKES,
    )


@pytest.mark.points(2)
def test_train_step_sets_training_mode(submission, inputs, oracle, expected, seeds):
    _train_step_check(
        submission,
        inputs,
        oracle,
        expected,
        seeds,
        batches=1,
        stale=False,
        start_eval=True,
        what="after train_step on a model handed over in evaluation mode",
        variants=("eval_mode",),
    )


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
    _expect_state(
        result["state"],
        want,
        what="after sgd_step(list of parameters, lr=0.1)",
        likely=[
            when(
                lambda a: _same(a, before),
                "nothing changed: `p = p - lr * p.grad` only rebinds the loop variable to a "
                "new tensor. Update in place: p -= lr * p.grad (inside torch.no_grad()).",
            ),
            when(
                lambda a: flipped is not None and _same(a, flipped),
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
    _expect_state(
        result["aliases"],
        params,
        what="the parameters' storage from before the call",
        likely=[
            when(
                lambda a: _same(a, {name: before[name] for name in params}),
                "the parameters were given new tensors (for example p.data = p - lr * p.grad) "
                "instead of being updated in place: whatever else holds them (an optimizer, a "
                "view) keeps the old values. Use p -= lr * p.grad or p.sub_(lr * p.grad), inside "
                "torch.no_grad().",
            )
        ],
    )


@pytest.mark.points(2)
def test_sgd_step_accepts_a_generator(submission, inputs, oracle, expected, seeds):
    setup = inputs.make_setup(seeds.get("setup", 11))
    result = _sgd(submission, inputs, setup, as_generator=True)
    before, want = setup["state"], _sgd_expected(oracle, expected, setup)

    def consumed_twice(actual) -> bool:
        """Each parameter either updated or untouched, some untouched, and a list works."""
        skipped = [n for n in want if not _same({n: actual[n]}, {n: want[n]})]
        if not skipped or not all(_same({n: actual[n]}, {n: before[n]}) for n in skipped):
            return False
        return _same(_sgd(submission, inputs, setup, as_generator=False)["state"], want)

    _expect_state(
        result["state"],
        want,
        what="after sgd_step(model.parameters(), lr=0.1)",
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
    _expect_state(
        result["state"],
        setup["state"],
        what="the model after compute_gradients (it must not change)",
        likely=[
            when(lambda a: True, "compute_gradients must not update the model: no optimizer step.")
        ],
    )
    _expect_state(
        result["after_zeroing"],
        grads,
        what="the returned gradients after the model's .grad tensors were zeroed",
        likely=[
            when(
                lambda a: True,
                "the returned tensors are the parameters' .grad tensors themselves: the next "
                "zero_grad() or backward() changes them. Return copies (p.grad.detach().clone()).",
            )
        ],
    )


def _epoch(submission, inputs, oracle, expected, seeds):
    seed = seeds.get("setup", 11)
    setup, batches = inputs.make_setup(seed), inputs.epoch_batches(seed)
    result = submission.drive("run_train_epoch", setup["state"], batches, inputs.LR)
    value = result["value"]
    if not isinstance(value, tuple) or len(value) != 2:
        fail(
            f"train_epoch should return a tuple (mean loss, accuracy), got {kind_of(value)}.",
            f"It returned {describe(value)}.",
        )
    return result, expected("epoch", lambda: oracle.train_epoch(setup, batches), setup, batches)


@pytest.mark.points(2)
def test_train_epoch_mean_loss(submission, inputs, oracle, expected, seeds):
    result, want = _epoch(submission, inputs, oracle, expected, seeds)
    expect_number(
        result["value"][0],
        want["loss"],
        what="train_epoch's mean loss per sample",
        inputs="10 samples in batches of 4, 4 and 2",
        likely=[
            when(
                lambda a: abs(a - want["mean_of_batch_means"]) < 1e-5,
                "this is the mean of the batch means, which gives the last, smaller batch "
                "as much weight as a full one: weight each batch's loss by its size "
                "(loss.item() * len(labels)) and divide by the number of samples.",
            ),
            when(lambda a: type(a) is torch.Tensor, "return Python floats (loss.item())."),
        ],
    )
    _expect_state(result["state"], want["state"], what="the model after train_epoch")


@pytest.mark.points(2)
def test_train_epoch_accuracy(submission, inputs, oracle, expected, seeds):
    result, want = _epoch(submission, inputs, oracle, expected, seeds)
    expect_number(
        result["value"][1],
        want["accuracy"],
        what="train_epoch's accuracy",
        likely=[
            when(
                lambda a: abs(a * 100 - want["accuracy"]) < 1e-4 and want["accuracy"] > 0,
                "the accuracy is a fraction (0-1); the spec asks for percent (0-100): "
                "multiply by 100.",
            ),
            when(lambda a: type(a) is torch.Tensor, "return Python floats (.item())."),
            integer_division(want["accuracy"], 10, "seen"),
        ],
    )

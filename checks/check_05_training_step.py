"""Checks for exercise 05: one step of learning.

The probes record what the submission did to a model and optimizer (the order of
zero_grad / backward / step, the mode during forward, the parameters after); the
expected results and those of each classic mistake are computed here.
"""

import pytest
import torch

from grader.checking.compare import (
    Mistake,
    describe,
    expect_number,
    expect_tensor,
    explain_errors,
    fail,
    when,
)

SEED = 11
NO_GRAD_NEEDED = {
    "leaf Variable that requires grad": "autograd refuses to record an in-place change of a "
    "parameter: do the update inside `with torch.no_grad():` (or decorate the function with "
    "@torch.no_grad()).",
}


def _params_match(actual: dict, expected: dict) -> bool:
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


def _expect_params(actual: dict, expected: dict, *, what: str, likely=()) -> None:
    for name, want in expected.items():
        expect_tensor(
            actual.get(name),
            want,
            what=f"{what}: parameter {name}",
            atol=1e-5,
            rtol=1e-4,
            likely=[Mistake(lambda _a, m=m: m.matches(actual), m.message) for m in likely],
        )


def _order_problem(events: list[str]) -> str | None:
    """What is wrong with the order of zero_grad, backward and step, in a learner's words."""
    if events.count("backward") != 1 or events.count("step") != 1:
        return (
            f"train_step should call backward once and step once; it called backward "
            f"{events.count('backward')} time(s) and step {events.count('step')} time(s)."
        )
    backward, step = events.index("backward"), events.index("step")
    if step < backward:
        return (
            "optimizer.step() comes before loss.backward(): the step uses gradients that do "
            "not exist yet (or old ones). Call backward first, then step."
        )
    if "zero_grad" in events[backward:step]:
        return (
            "zero_grad is called after backward: it wipes the gradients you just computed, so "
            "step() has nothing to apply. Clear gradients before the forward pass."
        )
    if "zero_grad" not in events[:backward]:
        return (
            "gradients are never cleared (no optimizer.zero_grad()): PyTorch adds new gradients to "
            "the old ones, so every step also applies the previous steps' gradients."
        )
    return None


@pytest.mark.points(2)
def test_train_step_returns_the_loss_as_float(submission, probes):
    result = submission.probe("run_train_step", SEED, stale=False, start_eval=False)
    expected = probes.expected_train_step(SEED, stale=False)
    expect_number(
        result["value"],
        expected["loss"],
        what="the value train_step returns",
        likely=[
            when(
                lambda a: type(a) is torch.Tensor,
                "the loss is returned as a tensor: return loss.item(), a Python float "
                "(a tensor keeps the whole graph alive and cannot be logged or averaged "
                "like a number).",
            ),
            when(lambda a: a is None, "train_step returns nothing: return loss.item()."),
        ],
    )


@pytest.mark.points(3)
def test_train_step_clears_old_gradients(submission, probes):
    with explain_errors(NO_GRAD_NEEDED):
        result = submission.probe("run_train_step", SEED, stale=True, start_eval=False)
    expected = probes.expected_train_step(SEED, stale=True)["params"]
    variants = {
        v: probes.expected_train_step(SEED, stale=True, variant=v)["params"]
        for v in ("no_zero_grad", "zero_grad_after_backward", "step_before_backward")
    }
    problem = _order_problem(result["events"])
    _expect_params(
        result["params"],
        expected,
        what="parameters after train_step (the model held old gradients)",
        likely=[
            when(
                lambda a: _params_match(a, variants["no_zero_grad"]),
                "gradients are not cleared before backward (no optimizer.zero_grad()): the "
                "old gradients were added to the new ones and applied too.",
            ),
            when(
                lambda a: _params_match(a, variants["zero_grad_after_backward"]),
                "zero_grad runs after backward, so step() applies zero gradients.",
            ),
            when(
                lambda a: _params_match(a, variants["step_before_backward"]),
                "step() runs before backward(): it applies the old gradients.",
            ),
            when(lambda a: problem is not None, problem or ""),
        ],
    )


@pytest.mark.points(3)
def test_train_step_order(submission):
    events = submission.probe("run_train_step", SEED, stale=False, start_eval=False)["events"]
    problem = _order_problem(events)
    if problem:
        fail(f"{problem}\nCalls seen, in order: {', '.join(events) or 'none'}")


@pytest.mark.points(2)
def test_train_step_sets_training_mode(submission):
    result = submission.probe("run_train_step", SEED, stale=False, start_eval=True)
    modes = result["forward"]
    if not modes:
        fail("train_step never ran the model's forward pass.")
    if not all(m["training"] for m in modes):
        fail(
            "the model was in evaluation mode during train_step's forward pass: call model.train() "
            "first (a model may arrive in eval mode after an evaluation; dropout and batch norm "
            "behave differently in the two modes)."
        )


@pytest.mark.points(2)
def test_sgd_step_updates_in_place(submission, probes):
    with explain_errors(NO_GRAD_NEEDED):
        result = submission.probe("run_sgd_step", SEED, as_generator=False)
    model, _, _, grads = probes.make_setup(SEED)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    expected = {n: (v - probes.LR * grads[n]) if n != "unused" else v for n, v in before.items()}
    if any(result["history"].values()):
        fail(
            "autograd recorded the update (the parameters now have a grad_fn): do it inside "
            "torch.no_grad()."
        )
    if not all(result["same_storage"].values()):
        fail(
            "the parameters were replaced by new tensors (for example p.data = p - lr * p.grad): "
            "update them in place, p -= lr * p.grad or p.sub_(lr * p.grad), inside torch.no_grad()."
        )
    _expect_params(
        result["params"],
        expected,
        what="parameters after sgd_step(list of parameters, lr=0.1)",
        likely=[
            when(
                lambda a: _params_match(a, before),
                "nothing changed: `p = p - lr * p.grad` only rebinds the loop variable to a "
                "new tensor. Update in place: p -= lr * p.grad (inside torch.no_grad()).",
            ),
            when(
                lambda a: _params_match(
                    a,
                    {
                        n: v + probes.LR * grads[n] if n != "unused" else v
                        for n, v in before.items()
                    },
                ),
                "the sign is flipped: gradient descent subtracts lr * grad.",
            ),
        ],
    )
    if result["value"] is not None:
        fail(f"sgd_step should return None, but returned {describe(result['value'])}.")


@pytest.mark.points(2)
def test_sgd_step_accepts_a_generator(submission, probes):
    with explain_errors(NO_GRAD_NEEDED):
        result = submission.probe("run_sgd_step", SEED, as_generator=True)
    model, _, _, grads = probes.make_setup(SEED)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    expected = {n: (v - probes.LR * grads[n]) if n != "unused" else v for n, v in before.items()}
    _expect_params(
        result["params"],
        expected,
        what="parameters after sgd_step(model.parameters(), lr=0.1)",
        likely=[
            when(
                lambda a: any(torch.equal(a[n], before[n]) for n in before if n != "unused"),
                "the generator is consumed twice: model.parameters() can be iterated only once, "
                "so a first pass (any(...), len(list(...)), a check loop) leaves nothing for "
                "the update loop. Iterate once, or turn it into a list first.",
            )
        ],
    )


@pytest.mark.points(2)
def test_compute_gradients_are_fresh(submission, probes):
    result = submission.probe("run_compute_gradients", SEED, stale=True)
    expected = probes.expected_gradients(SEED)
    stale = probes.make_setup(SEED)[3]
    grads = result["result"]
    if not isinstance(grads, dict):
        fail(f"compute_gradients should return a dict {{name: gradient}}, got {describe(grads)}.")
    leaked = {n: expected[n] + stale[n] for n in expected}
    for name, want in expected.items():
        expect_tensor(
            grads.get(name),
            want,
            what=f"compute_gradients(...)[{name!r}] (the model held old gradients)",
            atol=1e-5,
            rtol=1e-4,
            likely=[
                when(
                    lambda a, n=name: torch.allclose(a, leaked[n], atol=1e-4),
                    "stale gradients leak in: .grad already held values, and backward() adds "
                    "to them. Clear them first (model.zero_grad()).",
                )
            ],
        )


@pytest.mark.points(2)
def test_compute_gradients_complete_and_detached(submission, probes):
    result = submission.probe("run_compute_gradients", SEED, stale=False)
    expected = probes.expected_gradients(SEED)
    grads = result["result"]
    if not isinstance(grads, dict):
        fail(f"compute_gradients should return a dict {{name: gradient}}, got {describe(grads)}.")
    missing = sorted(set(expected) - set(grads))
    if missing:
        fail(
            f"compute_gradients has no entry for {missing}: every name of model.named_parameters() "
            "needs one, with zeros for a parameter the loss does not use."
        )
    expect_tensor(
        grads["unused"],
        expected["unused"],
        what="the gradient of a parameter the loss does not use",
        likely=[
            when(lambda a: a is None, "its .grad is None: return torch.zeros_like(p) instead.")
        ],
    )
    model = probes.make_setup(SEED)[0]
    _expect_params(
        result["params"],
        {n: p.detach() for n, p in model.state_dict().items()},
        what="parameters after compute_gradients (they must not change)",
        likely=[
            when(lambda a: True, "compute_gradients must not update the model: no optimizer step.")
        ],
    )
    if any(result["requires_grad"].values()):
        fail(
            "the returned gradients still require grad: return detached copies "
            "(g.detach().clone())."
        )
    if any(result["aliases_grad"].values()):
        fail(
            "the returned tensors are the parameters' .grad tensors themselves: the next "
            "backward() "
            "would change them. Return copies (p.grad.detach().clone())."
        )


@pytest.mark.points(2)
def test_train_epoch_mean_loss(submission, probes):
    result = submission.probe("run_train_epoch", SEED)
    expected = probes.expected_train_epoch(SEED)
    value = result["value"]
    if not isinstance(value, tuple) or len(value) != 2:
        fail(f"train_epoch should return a tuple (mean loss, accuracy), got {describe(value)}.")
    expect_number(
        value[0],
        expected["loss"],
        what="train_epoch's mean loss per sample",
        inputs="10 samples in batches of 4, 4 and 2",
        likely=[
            when(
                lambda a: abs(a - expected["mean_of_batch_means"]) < 1e-5,
                "this is the mean of the batch means, which gives the last, smaller batch "
                "as much weight as a full one: weight each batch's loss by its size "
                "(loss.item() * len(labels)) and divide by the number of samples.",
            ),
            when(lambda a: type(a) is torch.Tensor, "return Python floats (loss.item())."),
        ],
    )
    _expect_params(result["params"], expected["params"], what="parameters after train_epoch")


@pytest.mark.points(2)
def test_train_epoch_accuracy(submission, probes):
    result = submission.probe("run_train_epoch", SEED)
    expected = probes.expected_train_epoch(SEED)
    value = result["value"]
    if not isinstance(value, tuple) or len(value) != 2:
        fail(f"train_epoch should return a tuple (mean loss, accuracy), got {describe(value)}.")
    expect_number(
        value[1],
        expected["accuracy"],
        what="train_epoch's accuracy",
        likely=[
            when(
                lambda a: abs(a * 100 - expected["accuracy"]) < 1e-4 and expected["accuracy"] > 0,
                "the accuracy is a fraction (0-1); the spec asks for percent (0-100): "
                "multiply by 100.",
            ),
            when(lambda a: type(a) is torch.Tensor, "return Python floats (.item())."),
        ],
    )

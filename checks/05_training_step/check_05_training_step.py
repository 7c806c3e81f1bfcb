"""Checks for exercise 05: one step of learning (train_step here; sgd_step, compute_gradients and
train_epoch in check_05_training_step_sgd.py and check_05_training_step_epoch.py).

The checks send a model's parameters and buffers (with batch norm, so the mode shows in the
values), batches and old gradients; the driver runs the learner's function in the worker and sends
back the parameters and buffers afterwards. Every verdict compares those values with what the
oracle computes here (through `expected`: a handout replays its recorded values), and a mistake is
named only when its own numbers match the learner's. The inputs come from inputs.py.
"""

import pytest
import torch

from grader.checking.compare import expect_number, when
from grader.checking.compare_state import NO_GRAD_NEEDED, expect_state, same_state
from grader.checking.explain_errors import explain_errors

MISTAKES = {
    "no_step": "optimizer.step() is never called: backward() computes the gradients but nothing "
    "applies them; call optimizer.step() after loss.backward().",
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


ORDER_MISTAKES = (
    "no_step",
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
        if state is None or same_state(state, want):
            continue
        group = next((g for g in groups if same_state(g[0], state)), None)
        if group is None:
            groups.append((state, [variant]))
        else:
            group[1].append(variant)
    expect_state(
        result["state"],
        want,
        what=what,
        before=setup["state"],
        facts={"learning rate": inputs.LR},
        likely=[
            when(
                lambda a, state=state: same_state(a, state),
                " Or: ".join(MISTAKES[v] for v in names),
            )
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
    after_step = _softmax_loss(oracle, expected, setup, "loss_after_step")
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
            when(  # reproduced: the loss of a second forward after optimizer.step()
                lambda a: (
                    after_step is not None
                    and abs(after_step - want["losses"][0]) > 1e-6
                    and abs(a - after_step) < 1e-5
                ),
                "this is the loss of a second forward pass after optimizer.step(), by the "
                "updated model: return the value of the loss backward() was called on, from before "
                "the step.",
            ),
        ],
    )


def _softmax_loss(oracle, expected, setup, variant: str = "softmax_before_loss") -> float | None:
    """The loss a softmax before CrossEntropyLoss gives, or another of the oracle's variants
    (None where a handout did not record it)."""
    batches = setup["batches"][:1]
    steps = expected.optional(
        "train_steps",
        lambda: oracle.train_steps(setup, batches, stale=False, start_eval=False, variant=variant),
        setup,
        batches,
        False,
        False,
        variant,
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

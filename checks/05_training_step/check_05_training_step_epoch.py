"""Checks for exercise 05, part three: train_epoch (what the checks send and compare is
described in check_05_training_step.py). The oracle replays a correct epoch, and the mistakes
whose numbers are named: the mean of the batch means, a second forward after each step, the
loss or accuracy summed one way and divided another (oracle._slips), evaluation mode.
"""

import pytest
import torch

from grader.checking.compare import describe, expect_number, fail, kind_of, when
from grader.checking.compare_state import expect_state, same_state
from grader.checking.known_mistakes import integer_division


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
    want = expected("epoch", lambda: oracle.train_epoch(setup, batches), setup, batches)
    # train_epoch gets a model in evaluation mode (run_train_epoch): the mistake of leaving it so
    stayed = expected.optional(
        "epoch_in_eval_mode", lambda: oracle.train_epoch(setup, batches, train=False), setup
    )
    if stayed is not None and same_state(result["state"], stayed["state"]):
        fail(
            "train_epoch trained the model in evaluation mode.",
            mistake="call model.train() before the loop (train_step's semantics): the model "
            "arrives in evaluation mode, and batch norm and dropout behave differently in the "
            "two modes.",
        )
    uncleared = expected.optional(
        "epoch_without_zero_grad", lambda: oracle.train_epoch(setup, batches, clear=False), setup
    )
    if uncleared is not None and same_state(result["state"], uncleared["state"]):
        fail(
            "after train_epoch the model holds what an epoch that never clears the gradients "
            "gives.",
            mistake="call optimizer.zero_grad() before each backward(): without it PyTorch adds "
            "each batch's gradients to the earlier ones, so every step applies their sum.",
        )
    return result, want, setup, batches


def _after_step(answer, want: dict, key: str) -> bool:
    """The answer is what a second forward after each step gives, and that is not the right one
    (a handout that did not record it says nothing)."""
    after = want.get(f"{key}_after_step")
    return (
        type(after) is float
        and type(answer) in (int, float)
        and abs(after - want[key]) > 1e-6
        and abs(answer - after) <= 1e-5 * max(1.0, abs(after))
    )


_BUFFERS = ("running_mean", "running_var", "num_batches_tracked")


def _trained_right(state, want: dict) -> bool:
    """The learner's parameters are the right ones after the epoch (a second forward after each
    step moves only batch norm's statistics): the predictions of the updated model are the
    oracle's only on the oracle's trajectory."""
    keep = [k for k in want["state"] if not k.endswith(_BUFFERS)]
    return isinstance(state, dict) and same_state(
        {k: state.get(k) for k in keep}, {k: want["state"][k] for k in keep}
    )


class _Regrouped:
    """The learner's accuracy and the oracle's epoch on two other epochs, run only when a cause
    first fits: the same samples regrouped (5, 5, 5, 5, 3), and another model on other samples
    (the next seed), where the right count is another (a handout that did not record them:
    none, and nothing is named)."""

    def __init__(self, submission, inputs, oracle, expected, setup, batches, seed: int) -> None:
        self.args, self._pairs = (submission, inputs, oracle, expected), None
        images = torch.cat([b[0] for b in batches])
        labels = torch.cat([b[1] for b in batches])
        ends = (5, 10, 15, 20, 23)
        regrouped = [(images[e - 5 : e], labels[e - 5 : e]) for e in ends[:-1]]
        regrouped.append((images[20:], labels[20:]))
        self.epochs = [(setup, regrouped), (inputs.make_setup(seed), inputs.epoch_batches(seed))]

    def pairs(self) -> list:
        if self._pairs is None:
            self._pairs = self._run()
        return self._pairs

    def _run(self) -> list:
        submission, inputs, oracle, expected = self.args
        pairs = []
        for setup, batches in self.epochs:
            want = expected.optional(
                "epoch", lambda s=setup, b=batches: oracle.train_epoch(s, b), setup, batches
            )
            if want is None:
                return []
            value = submission.drive("run_train_epoch", setup["state"], batches, inputs.LR)
            value = value["value"]
            if not (isinstance(value, tuple) and len(value) == 2):
                return []
            pairs.append((value[1], want))
        return pairs


def _named(answer, want: dict, number, regrouped: _Regrouped, shift: bool = False) -> bool:
    """An accuracy is a count out of 23, which a slip of a count or two, or 10 correct
    (100 / c / n is c / n), meets by chance: a cause's `number(epoch)` is named only when it is
    the learner's accuracy here and on both other epochs, never the right one, and on one of
    them another number than here (an answer that does not move with the epoch is no proof).
    `shift`: a cause near the right count (a second forward) must also differ from it by more
    than one amount over the epochs, or a count a constant k off (`correct = 2` to start) fits."""
    first = number(want)
    if first is None or abs(first - want["accuracy"]) <= 1e-6 or not _same_number(answer, first):
        return False
    pairs = regrouped.pairs()
    for there, other in pairs:
        value = number(other)
        if value is None or abs(value - other["accuracy"]) <= 1e-6:
            return False
        if not _same_number(there, value):
            return False
    epochs = [want, *(other for _, other in pairs)]
    shifts = {round(number(e) - e["accuracy"], 6) for e in epochs}
    moved = any(abs(number(other) - first) > 1e-6 for _, other in pairs)
    return moved and (not shift or len(shifts) > 1)


def _fraction(epoch: dict) -> float | None:
    return epoch["accuracy"] / 100 if epoch["accuracy"] > 0 else None


def _after_step_accuracy(epoch: dict) -> float | None:
    after = epoch.get("accuracy_after_step")
    return after if type(after) is float else None


def _slip(words: str):
    return lambda epoch: next((v for w, v in epoch.get("accuracy_slips", []) if w == words), None)


_MEAN_LOSS = "the mean loss per sample is the sum of loss.item() * len(labels), divided by the "
_MEAN_LOSS += "number of samples."


_ACCURACY = "the accuracy is 100 times the number correct, divided by the number of samples."


def _same_number(answer, number: float) -> bool:
    return type(answer) in (int, float) and abs(answer - number) <= 1e-5 * max(1.0, abs(number))


EPOCH_FACTS = {"the number of samples": 23, "the number of batches": 3, "the batch size": 8}


@pytest.mark.points(2)
def test_train_epoch_mean_loss(submission, inputs, oracle, expected, seeds):
    result, want, _, _ = _epoch(submission, inputs, oracle, expected, seeds)
    expect_number(
        result["value"][0],
        want["loss"],
        what="train_epoch's mean loss per sample",
        inputs="23 samples in batches of 8, 8 and 7",
        facts=EPOCH_FACTS,
        likely=[
            when(
                lambda a: abs(a - want["mean_of_batch_means"]) < 1e-5,
                "this is the mean of the batch means, which gives the last, smaller batch "
                "as much weight as a full one: weight each batch's loss by its size "
                "(loss.item() * len(labels)) and divide by the number of samples.",
            ),
            when(
                lambda a: _after_step(a, want, "loss"),
                "this is the loss of a second forward pass after optimizer.step(), by the "
                "updated model: add up the loss.item() the step was computed from.",
            ),
            *(
                when(lambda a, v=v: _same_number(a, v), f"{words}: {_MEAN_LOSS}")
                for words, v in want.get("loss_slips", [])
            ),
            when(lambda a: type(a) is torch.Tensor, "return Python floats (loss.item())."),
        ],
    )
    expect_state(result["state"], want["state"], what="the model after train_epoch")


@pytest.mark.points(2)
def test_train_epoch_accuracy(submission, inputs, oracle, expected, seeds):
    result, want, setup, batches = _epoch(submission, inputs, oracle, expected, seeds)
    seed = seeds.get("setup", 11) + 1  # another epoch's model and samples
    regrouped = _Regrouped(submission, inputs, oracle, expected, setup, batches, seed)
    expect_number(
        result["value"][1],
        want["accuracy"],
        what="train_epoch's accuracy",
        facts=EPOCH_FACTS,
        likely=[
            when(
                lambda a: _named(a, want, _fraction, regrouped),
                "the accuracy is a fraction (0-1); the spec asks for percent (0-100): "
                "multiply by 100.",
            ),
            when(
                lambda a: (
                    _trained_right(result["state"], want)
                    and _named(a, want, _after_step_accuracy, regrouped, shift=True)
                ),
                "these are the predictions of a second forward pass after optimizer.step(), by "
                "the updated model: count them from the outputs the loss was computed on.",
            ),
            when(lambda a: type(a) is torch.Tensor, "return Python floats (.item())."),
            integer_division(want["accuracy"], 23, "seen"),
            *(
                when(
                    lambda a, w=words: _named(a, want, _slip(w), regrouped),
                    f"{words}: {_ACCURACY}",
                )
                for words, _ in want.get("accuracy_slips", [])
            ),
        ],
    )

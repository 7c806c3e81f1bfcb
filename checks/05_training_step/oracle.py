"""Oracle for exercise 05, in the pytest process only: what a correct step gives, and what each
classic mistake gives, so that a mistake is named only when it reproduces the learner's numbers.
The inputs are built by inputs.py (a handout holds that one, not this)."""

from __future__ import annotations

import copy
from pathlib import Path

import torch
from torch import nn

from grader.checking.submission import load_driver
from grader.workbook.files import load_file

driver = load_driver("training_step")  # the same module the checks use
LR = load_file("inputs_training_step", Path(__file__).with_name("inputs.py")).LR
VARIANTS = (
    "correct",
    "no_zero_grad",
    "zero_grad_after_backward",
    "step_before_backward",
    "eval_mode",
    "softmax_before_loss",
    "no_backward",
    "no_step",
)


def _state(model: nn.Module) -> dict:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def train_steps(setup: dict, batches: list, *, stale: bool, start_eval: bool, variant: str) -> dict:
    """What train_step, or one of its classic mistakes, does over `batches` in turn."""
    model = driver.build(setup["state"], setup["stale"] if stale else None, train=not start_eval)
    optimizer = driver.PlainSGD(model.parameters(), LR)
    losses = []
    for images, labels in batches:
        if variant != "eval_mode":
            model.train()
        if variant not in ("no_zero_grad", "zero_grad_after_backward", "step_before_backward"):
            optimizer.zero_grad()
        scores = model(images)
        if variant == "softmax_before_loss":  # probabilities where the loss wants logits
            scores = scores.softmax(dim=1)
        loss = nn.functional.cross_entropy(scores, labels)
        if variant == "no_backward":
            optimizer.step()
        elif variant == "no_step":  # the gradients are computed, and nothing applies them
            loss.backward()
        elif variant == "step_before_backward":
            optimizer.zero_grad()
            optimizer.step()
            loss.backward()
        else:
            loss.backward()
            if variant == "zero_grad_after_backward":
                optimizer.zero_grad()
            optimizer.step()
        if variant == "loss_after_step":  # a second forward, by the updated model
            loss = nn.functional.cross_entropy(model(images), labels)
        losses.append(loss.item())
    return {"losses": losses, "state": _state(model)}


def sgd_expected(setup: dict, sign: float = -1.0) -> dict:
    """Parameters after plain SGD from the stale gradients (`sign` +1: the flipped update)."""
    state = dict(setup["state"])
    for name, grad in setup["stale"].items():
        if name != "unused":
            state[name] = state[name] + sign * LR * grad
    return state


def gradients(setup: dict) -> dict:
    images, labels = setup["batches"][0]
    model = driver.build(setup["state"])
    nn.functional.cross_entropy(model(images), labels).backward()
    return {
        n: (p.grad.clone() if p.grad is not None else torch.zeros_like(p))
        for n, p in model.named_parameters()
    }


def _slips(sums: list, counts: list, said: dict) -> list:
    """[(words, number)]: an epoch's figure summed one way and divided another (each of `sums`
    by each of `counts`), kept only when neither the right number nor one said elsewhere nor
    another slip gives its number. `said`: {(sum's words, count's words): its number}, the right
    one and the mistakes a check names on its own."""
    made = [
        (f"this is {total} divided by {by}", value / n)
        for total, value in sums
        for by, n in counts
        if (total, by) not in said
    ]
    return [
        (words.replace(" divided by nothing", ", not divided"), number)
        for words, number in made
        if number != 0  # 0 has too many causes to name one
        and all(
            abs(number - other) > 1e-4 * max(1.0, abs(other))
            for other in [*said.values()] + [n for w, n in made if w != words]
        )
    ]


def _epoch_slips(weighted, means, correct, accuracies, seen, count, size) -> dict:
    """The loss's and the accuracy's slips (`_slips`) for one epoch."""
    counts = [("the number of samples", seen), ("the batch size", size), ("nothing", 1)]
    counts.append(("the number of batches", count))
    mean_sum = "the sum of the batches' mean losses (loss.item(), already a mean)"
    weighted_sum = "the sum of loss.item() * len(labels)"
    right, hundred = "100 times the number correct", "the number correct"
    return {
        "loss_slips": _slips(
            [(mean_sum, means), (weighted_sum, weighted)],
            counts,
            {
                (weighted_sum, counts[0][0]): weighted / seen,
                (mean_sum, counts[3][0]): means / count,  # the unweighted mean, named on its own
            },
        ),
        "accuracy_slips": _slips(
            [
                (right, 100.0 * correct),
                ("the sum of the batches' accuracies (each in percent)", accuracies),
                (hundred, float(correct)),
            ],
            counts,
            {
                (right, counts[0][0]): 100.0 * correct / seen,
                (hundred, counts[0][0]): correct / seen,  # a fraction, named on its own
                ("cut", "down"): float(100 * correct // seen),  # integer division, likewise
                ("cut", "near"): float(round(100.0 * correct / seen)),
            },
        ),
    }


def train_epoch(setup: dict, batches: list, train: bool = True, clear: bool = True) -> dict:
    """A correct epoch on a model handed over in evaluation mode; `train=False`: the mistake of
    leaving it in that mode; `clear=False`: of never calling zero_grad in the loop."""
    model = driver.build(setup["state"], train=train)
    optimizer = driver.PlainSGD(model.parameters(), LR)
    weighted, batch_means, correct, seen, accuracies = 0.0, [], 0, 0, 0.0
    after_loss, after_correct = 0.0, 0  # the mistake of a second forward after the step
    for images, labels in batches:
        if clear:
            optimizer.zero_grad()
        outputs = model(images)
        loss = nn.functional.cross_entropy(outputs, labels)
        loss.backward()
        optimizer.step()
        weighted += loss.item() * len(labels)
        batch_means.append(loss.item())
        correct += (outputs.argmax(1) == labels).sum().item()
        accuracies += 100.0 * (outputs.argmax(1) == labels).sum().item() / len(labels)
        seen += len(labels)
        with torch.no_grad():  # on a copy, whose batch norm statistics may move
            again = copy.deepcopy(model)(images)
        after_loss += nn.functional.cross_entropy(again, labels).item() * len(labels)
        after_correct += (again.argmax(1) == labels).sum().item()
    return {
        "loss": weighted / seen,
        "mean_of_batch_means": sum(batch_means) / len(batch_means),
        **_epoch_slips(
            weighted,
            sum(batch_means),
            correct,
            accuracies,
            seen,
            len(batch_means),
            len(batches[0][1]),
        ),
        "accuracy": 100.0 * correct / seen,
        "state": _state(model),
        "loss_after_step": after_loss / seen,
        "accuracy_after_step": 100.0 * after_correct / seen,
    }

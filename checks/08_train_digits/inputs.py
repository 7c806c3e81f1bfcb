"""Exercise 08's measures, in the pytest process only: the held-out digits (drawn after `fit`
returned, from a seed the worker never sees), the accuracy from the model's scores, the thresholds.
Independent of any reference (the labels are the digits' own), so a handout holds it.
"""

from __future__ import annotations

import torch

from grader.digits import digit_loader, shared_digits

TEST_SIZE, CHUNK = 2_000, 500
MAX_PARAMETERS = 100_000
FIT_SECONDS = 60  # the spec's budget for loading and fit: CPU time of the worker and its children
# wall time allowed for it: a tenth of a core for the whole budget (a machine loaded by other jobs
# changes no grade; this only bounds how long a grader waits)
FIT_WALL_SECONDS = 600
EVALUATION_SECONDS = 10  # CPU time for the scores of all held-out digits
SCORING_WALL_SECONDS = 300  # wall time for them (under a load of 36 on 2 cores they took 40 s)
SCORING_SLACK = 3  # what scoring may add to the 60 s (it takes well under 1 s): all is charged
# the training digits fit gets (seed name, public seed, count: the driver's TRAIN_SIZE), the same
# for every submission of a run: drawn once, before the workers fork (checking/drawn_once.py)
DRAWN_ONCE = (("training", 0, 10_000),)
FRESH_SIZE, FRESH_MAX = 500, 25.0  # the fresh model's digits, and its accuracy that means trained
# accuracy (percent) on held-out digits -> points; see bench/calibrate_digits.py
THRESHOLDS = ((30.0, 4), (50.0, 8), (70.0, 12), (80.0, 16), (85.0, 20))  # cumulative points
MAX_POINTS = THRESHOLDS[-1][1]


def points_for(accuracy: float) -> int:
    earned = 0
    for threshold, points in THRESHOLDS:
        if accuracy >= threshold:
            earned = points
    return earned


def held_out(seed: int, size: int = TEST_SIZE) -> tuple[torch.Tensor, torch.Tensor]:
    """Drawn once per grading process (the same for every submission of a run), then copied."""
    return shared_digits(size, seed)


def relabelling(seed: int) -> torch.Tensor:
    """Each glyph's label: the digit itself in the public run (`seed` < 0), else a derangement
    drawn from `seed` (a graded run's key): weights trained elsewhere score at chance there
    unless fit learns the labels it is given."""
    if seed < 0:
        return torch.arange(10)
    draws = torch.Generator().manual_seed(seed)
    while True:
        order = torch.randperm(10, generator=draws)
        if (order != torch.arange(10)).all():
            return order


def malformed(scores, count: int) -> str | None:
    """What is wrong with a chunk of scores, or None."""
    if type(scores) is not torch.Tensor:
        return f"the model's output is a {type(scores).__name__}, not a tensor"
    if tuple(scores.shape) != (count, 10):
        return f"the model's output has shape {tuple(scores.shape)}, expected ({count}, 10)"
    if not scores.dtype.is_floating_point:
        return f"the model's output has dtype {scores.dtype}, expected a float dtype"
    return None


def accuracy(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """Percent of rows whose largest score is the label; a row with a non-finite score is wrong."""
    scores = scores.double()
    finite = torch.isfinite(scores).all(dim=1)
    right = (scores.argmax(dim=1) == labels) & finite
    return 100.0 * right.sum().item() / len(labels)


def _never_cleared(report, accuracy: float) -> str:
    """The worker saw every backward pass after the first meet the earlier gradients still in
    .grad (a fact about the learner's fit; it names a mistake only when accuracy fell short)."""
    backwards = report.get("backwards") if isinstance(report, dict) else None
    stale = report.get("stale") if isinstance(report, dict) else None
    if type(backwards) is not int or type(stale) is not int or backwards < 10 or accuracy >= 85:
        return ""
    if stale < backwards - 1:
        return ""
    return (
        f"gradients are never cleared: at {stale} of {backwards} backward passes, .grad still "
        "held earlier batches' gradients, and backward adds to them, so each step applies their "
        "growing sum. Call optimizer.zero_grad() before each backward()."
    )


def _how_fit_trained(report) -> str:
    """What the worker saw fit do to the model build_model() returned, said only as far as its
    counts prove it: no question about optimizer.step() for a fit whose steps moved parameters."""
    facts = report if isinstance(report, dict) else {}
    backwards, moved = facts.get("backwards"), facts.get("moved")
    if type(backwards) is not int or type(moved) is not int:
        return ""
    if backwards == 0:
        return (
            " fit made no backward pass through the model build_model() returned: it trains "
            "another model, or none (loss.backward() on this model's outputs)."
        )
    if moved == 0:
        return _no_step_moved(facts, backwards) or (
            f" fit ran {backwards} backward passes, but no parameter of the model moved: "
            "optimizer.step() is never called, or the optimizer holds another model's parameters."
        )
    return _how_much(facts, backwards)


def _no_step_moved(facts: dict, backwards: int) -> str:
    """Why no parameter moved, as far as the worker's count of optimizer steps shows it."""
    counts = [facts.get(k) for k in ("steps", "steps_on_model", "steps_with_gradients")]
    if any(type(c) is not int for c in counts):
        return ""
    steps, on_model, with_gradients = counts
    said = f" fit ran {backwards} backward passes, and no parameter of the model moved: "
    if steps == 0:
        return said + (
            "no torch.optim optimizer's step() ran. Call optimizer.step() after each backward()."
        )
    if on_model == 0:
        return said + (
            f"{steps} optimizer steps ran, none over a parameter of this model: the optimizer "
            "holds other tensors (another model's parameters, or copies). Make it from "
            "model.parameters() of the model fit was given."
        )
    if with_gradients == 0:
        return said + (
            f"{on_model} optimizer steps ran over its parameters, each while their gradients "
            "were None or zero, as zero_grad() between backward() and step() gives (it belongs "
            "before backward())."
        )
    return said + (
        f"{with_gradients} optimizer steps ran over its parameters with gradients, yet none "
        "moved, as a learning rate of 0 gives."
    )


def _few_drawn(drawn, digits, batches, backwards: int) -> bool:
    """At most ten batches' worth of distinct digits drawn, each used four times or more."""
    if type(drawn) is not int or type(digits) is not int or type(batches) is not int:
        return False
    batch = digits / max(batches, 1)
    return 0 < drawn <= 10 * batch and backwards * batch >= 4 * drawn and drawn < digits


def how_far(report) -> str:
    """How far fit had got when the driver stopped it at the CPU limit (the worker's account)."""
    facts = report if isinstance(report, dict) else {}
    backwards, batches = facts.get("backwards"), facts.get("epoch_batches")
    if facts.get("stopped") is not True or type(backwards) is not int or type(batches) is not int:
        return ""
    return (
        f"fit was still training when its CPU time ran out: {backwards:,} backward passes by "
        f"then, {backwards / max(batches, 1):.1f} passes over the training digits ({batches} "
        "batches each)."
    )


TINY_CHANGE = 0.01  # the reference's parameter tensors move by 18 % to 120 % of their size


def _how_much(facts: dict, backwards: int) -> str:
    """How much fit trained, said only as the worker's counts show it: fewer backward passes
    than one epoch's batches, or parameters that all moved by less than 1 % of their size."""
    batches, change = facts.get("epoch_batches"), facts.get("largest_change")
    if type(batches) is int and 0 < backwards < batches:
        return (
            f" fit ran only {backwards} backward pass{'es' if backwards > 1 else ''} in all, where "
            f"one pass over the training digits is {batches} batches (a return or break inside "
            "the loop over the loader gives this, and so does taking a batch without that "
            "loop, as next(iter(loader)) does)."
        )
    drawn, digits = facts.get("digits_drawn"), facts.get("digits")
    if _few_drawn(drawn, digits, batches, backwards):
        return (
            f" fit ran {backwards} backward passes, but drew only {drawn:,} distinct digits of "
            f"the {digits:,} the loader holds: it trains on the same few batches over and over "
            "(as next(iter(loader)) in the loop gives: each call starts a new pass for one batch)."
        )
    if type(change) is float and 0 <= change < TINY_CHANGE:
        return (
            f" fit ran {backwards} backward passes, but no parameter tensor moved by more than "
            f"{100 * change:.2g} % of its size (its norm): the updates were tiny, as a learning "
            "rate far too small (or a loss scaled down) gives. Adam with lr=1e-3 is a safe start."
        )
    return ""


def diagnosis(
    scores: torch.Tensor, accuracy: float, report=None, fresh_varied: bool = False
) -> tuple[str, str]:
    """(a named mistake the scores (or the worker's account of fit's backward passes) show, or
    "", and what the numbers say otherwise). `fresh_varied`: the model's scores before fit
    differed from digit to digit (seen by the check)."""
    facts = report if isinstance(report, dict) else {}
    backwards = facts.get("backwards")
    if facts.get("moved") == 0 and type(backwards) is int and backwards > 0 and accuracy < 85:
        stuck = _no_step_moved(facts, backwards)  # before uncleared gradients: the cause of both
        if stuck:
            return stuck.strip(), ""
    never_cleared = _never_cleared(report, accuracy)
    if never_cleared:
        return never_cleared, ""
    scores = scores.double()
    finite = torch.isfinite(scores).all(dim=1)
    if not finite.all():
        share = 100.0 * (~finite).sum().item() / len(scores)
        return (
            f"{share:.0f} % of the held-out digits got non-finite scores (NaN or inf): fit "
            "drove the parameters past what a float holds. A learning rate far too high does "
            "this, and so does a loss unbounded below (nn.NLLLoss on raw scores: it expects "
            "log-probabilities, so log_softmax first, or nn.CrossEntropyLoss).",
            "",
        )
    sums = scores.sum(dim=1)
    if (scores >= 0).all() and torch.allclose(sums, torch.ones_like(sums), atol=1e-3):
        return (
            "the model's outputs are probabilities (each row is non-negative and sums to 1): "
            "a softmax at the end of forward. nn.CrossEntropyLoss (F.cross_entropy) applies "
            "log-softmax itself, so the model should return raw scores (logits); with a softmax "
            "before it, the gradients almost vanish and training crawls.",
            "",
        )
    if scores.abs().max().item() > 1e6:
        return (
            "the model's scores are enormous (over a million): fit drove them without bound. A "
            "learning rate far too high does this, and so does a loss unbounded below "
            "(nn.NLLLoss on raw scores: it expects log-probabilities, so log_softmax first, or "
            "nn.CrossEntropyLoss).",
            "",
        )
    if (scores - scores[0]).abs().max().item() < 1e-6 and fresh_varied:
        return "", (
            "The model gives every digit the same scores, so it predicts one class for all; "
            "before fit its scores differed from digit to digit, so fit made the output ignore "
            "the input: training collapsed, as too high a learning rate gives (Adam with "
            "lr=1e-3 is a safe start)."
        )
    if (scores - scores[0]).abs().max().item() < 1e-6:
        return "", (
            "The model gives every digit the same scores, so it predicts one class for all. "
            "Training that collapsed gives this (a learning rate far too high; Adam with "
            "lr=1e-3 is a safe start), and so does a forward that ignores its input."
        )
    if accuracy < 3:  # 2,000 digits: a model that learned nothing stays near 10 %, not below 3
        return "", (
            "That is far below chance (10 %): the model picks a wrong class systematically, as "
            "training against labels that do not match its outputs gives (labels shifted, such "
            "as labels + 1, or the classes in another order), and so does a forward that "
            "reorders its scores." + _how_fit_trained(report)
        )
    if accuracy < 20:
        return "", "That is about chance (10 %)." + _how_fit_trained(report)
    done = _how_much(facts, backwards) if type(backwards) is int else ""
    return "", (
        done.strip() or "More epochs, a convolutional layer, or Adam with lr=1e-3 should get there."
    )


def score_locally(module, seed: int = 0) -> dict:
    """Train and score in this process (calibration and tests: trusted learners only)."""
    import time

    model = module.build_model()
    start = time.perf_counter()
    module.fit(model, digit_loader(10_000, seed=seed, batch_size=64))
    seconds = time.perf_counter() - start
    images, labels = held_out(seed + 1000)
    model.eval()
    with torch.no_grad():
        scores = torch.cat([model(images[i : i + CHUNK]) for i in range(0, TEST_SIZE, CHUNK)])
    return {"accuracy": accuracy(scores, labels), "fit_seconds": seconds}

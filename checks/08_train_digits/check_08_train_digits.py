"""Checks for exercise 08: train a CNN to a target accuracy on held-out digits.

One training run per submission (a module-scoped fixture) feeds one check per accuracy threshold.
Everything that decides points is measured here, outside the worker: the CPU time of the worker
and its children from loading the file to the end of `fit` (import-time work included; the wall
time only has a generous cap, so a loaded machine changes no grade), the fresh model's accuracy
(near chance: no pre-trained weights), the held-out digits (drawn only after `fit` returned, from
a seed the worker never sees; their labels never enter it) and the accuracy computed from the
model's scores. In a graded run each glyph's label is permuted by the grading key, for training
and held-out digits alike: only what `fit` learned from the digits it was given earns points. The
thresholds are calibrated by bench/calibrate_digits.py (see tests/test_digits.py). The measures
are in inputs.py (independent of any reference: a handout holds them).
"""

import pytest
import torch

from grader.checking.compare import fail, kind_of
from grader.checking.problems import CheckTimeout


def _describe(submission, inputs) -> None:
    built = submission.drive("build")
    if not built["is_module"] and built.get("module_class") is True:
        fail(
            "build_model() should return an nn.Module, but returned a class: an nn.Module "
            "subclass itself, not a model made from it. Call the class: return MyNet(), not "
            "return MyNet."
        )
    if not built["is_module"]:
        fail("build_model() should return an nn.Module.", f"It returned a {built['type']}.")
    model = submission.drive("describe_model")  # a forward first: lazy layers get parameters
    lazy = model.get("lazy") if isinstance(model.get("lazy"), list) else []
    if lazy:
        fail(
            "the model still has uninitialised (lazy) parameters after a forward pass on a "
            f"(3, 1, 28, 28) batch: {', '.join(str(n)[:60] for n in lazy[:5])}. A lazy layer "
            "gets its parameters from the first input it sees, so forward must use it."
        )
    output = model["output"]
    if getattr(output, "shape", None) != (3, 10):
        fail(
            f"the model maps a (3, 1, 28, 28) batch to {kind_of(output)}; it should give (3, 10) "
            "scores."
        )
    if model["parameters"] > inputs.MAX_PARAMETERS:
        fail(
            f"the model has {model['parameters']:,} parameters, more than the limit of "
            f"{inputs.MAX_PARAMETERS:,}."
        )


def _fresh_accuracy(submission, inputs, seeds, relabel: torch.Tensor) -> tuple[float, bool]:
    """The untrained model's accuracy on digits of its own, against the digits themselves and
    against this run's labels (whichever is higher): a model that recognises digits before fit
    brought its training with it. And whether its scores differ from digit to digit."""
    images, digits = inputs.held_out(seeds.get("fresh", 2000), inputs.FRESH_SIZE)
    start = submission.usage()
    try:
        scores = submission.drive(
            "scores",
            images,
            time_limit=inputs.SCORING_WALL_SECONDS,
            cpu_limit=start["cpu"] + inputs.EVALUATION_SECONDS,
        )
    except CheckTimeout:
        raise CheckTimeout(
            f"scoring {inputs.FRESH_SIZE} digits with the model before fit did not finish within "
            f"{inputs.EVALUATION_SECONDS} s of CPU time: forward should only compute scores."
        ) from None
    problem = inputs.malformed(scores, len(images))
    if problem:
        fail("the model's scores for digits before fit cannot be used.", f"{problem}.")
    varied = bool((scores.double() - scores[0].double()).abs().max().item() >= 1e-6)
    return max(inputs.accuracy(scores, digits), inputs.accuracy(scores, relabel[digits])), varied


def _fit(submission, inputs, seeds, relabel: torch.Tensor) -> tuple[dict, dict, bool]:
    _describe(submission, inputs)
    fresh, varied = _fresh_accuracy(submission, inputs, seeds, relabel)
    if fresh >= inputs.FRESH_MAX:
        fail(
            f"build_model() returned a model that already recognises digits ({fresh:.0f} % right "
            f"before fit; an untrained model gets about 10 %): the points are for what fit "
            "learns from the digits it is given, so pre-trained weights earn none."
        )
    report = submission.drive(
        "fit",
        seeds.get("training", 0),
        relabel.tolist(),
        stop_after=inputs.FIT_SECONDS + 0.25,  # over the budget by the worker's lower bound
        time_limit=inputs.FIT_WALL_SECONDS,
        cpu_limit=inputs.FIT_SECONDS + 1,
    )
    used = submission.usage()
    budgets = {"cpu": inputs.FIT_SECONDS, "wall": inputs.FIT_WALL_SECONDS}
    for kind, allowed in budgets.items():
        stopped = kind == "cpu" and isinstance(report, dict) and report.get("stopped") is True
        if used[kind] > allowed or stopped:
            fail(
                f"loading your file and fit took {used['cpu']:.{int(stopped)}f} s of CPU time "
                f"({used['wall']:.0f} s of wall time), more than the {allowed} s of {kind} time "
                "allowed (work done at import counts too): fewer epochs or a smaller model"
                + (", and one thread (no torch.set_num_threads)." if kind == "cpu" else "."),
                inputs.how_far(report),
            )
    return used, report, varied


def _learned(report, summary: str) -> None:
    """Points need fit to have trained the model it was given: backward passes through it, and
    parameters that moved (counted in the worker through C functions taken before the file).
    Asked only of an accuracy that would earn points: below, the usual diagnosis says more."""
    facts = report if isinstance(report, dict) else {}
    backwards, moved = facts.get("backwards"), facts.get("moved")
    if type(backwards) is not int or backwards < 1:
        fail(
            "fit made no backward pass through the model build_model() returned: the points are "
            "for what fit learns from the digits it is given (loss.backward(), then "
            "optimizer.step()).",
            summary,
        )
    if type(moved) is not int or moved < 1:
        fail(
            "fit left every parameter of the model as build_model() made it: the points are for "
            "what fit learns (optimizer.step() after each backward()).",
            summary,
        )


def _score_held_out(submission, inputs, images) -> list:
    start, chunks = submission.usage(), []
    for i in range(0, inputs.TEST_SIZE, inputs.CHUNK):
        used = submission.usage()
        left = max(inputs.SCORING_WALL_SECONDS - (used["wall"] - start["wall"]), 0.1)
        try:
            scores = submission.drive(
                "scores",
                images[i : i + inputs.CHUNK],
                time_limit=left,
                cpu_limit=start["cpu"] + inputs.EVALUATION_SECONDS,
            )
        except CheckTimeout:
            raise CheckTimeout(
                f"scoring the held-out digits did not finish within {inputs.EVALUATION_SECONDS} "
                "s of CPU time: evaluating 2,000 digits takes a fraction of that, so training "
                "belongs in fit (and forward should only compute scores)."
            ) from None
        problem = inputs.malformed(scores, len(images[i : i + inputs.CHUNK]))
        if problem:
            fail("the model's scores for the held-out digits cannot be used.", f"{problem}.")
        chunks.append(scores)
    return chunks


@pytest.fixture(scope="module")
def trained(submission, inputs, seeds):
    relabel = inputs.relabelling(seeds.get("labels", -1))  # the digits themselves in public
    used, report, varied = _fit(submission, inputs, seeds, relabel)
    images, digits = inputs.held_out(seeds.get("held-out", 1000))  # drawn after fit returned
    labels = relabel[digits]
    chunks = _score_held_out(submission, inputs, images)
    total = submission.usage()  # scoring counts too: training moved there is still charged
    allowed = {
        "cpu": inputs.FIT_SECONDS + inputs.SCORING_SLACK,
        "wall": inputs.FIT_WALL_SECONDS + inputs.SCORING_WALL_SECONDS,
    }
    for kind in ("cpu", "wall"):
        if total[kind] > allowed[kind]:
            fail(
                f"loading your file, fit and scoring the held-out digits took {total['cpu']:.0f} "
                f"s of CPU time ({total['wall']:.0f} s of wall time), more than the "
                f"{allowed[kind]} s of {kind} time allowed: training belongs in fit, within its "
                f"{inputs.FIT_SECONDS} s."
            )
    scores = torch.cat(chunks)
    accuracy = inputs.accuracy(scores, labels)
    summary = (
        f"Accuracy on {inputs.TEST_SIZE:,} held-out digits: {accuracy:.2f} %. Loading your file "
        f"and fit took {used['cpu']:.0f} s of CPU ({used['wall']:.0f} s of wall time) of the "
        f"{inputs.FIT_SECONDS} s of CPU allowed; with scoring, {total['cpu']:.0f} s of CPU "
        f"({total['wall']:.0f} s of wall time) of {allowed['cpu']} s."
    )
    if accuracy >= inputs.THRESHOLDS[0][0]:
        _learned(report, summary)
    return (
        accuracy,
        summary,
        *inputs.diagnosis(scores, accuracy, report, varied),
        (images, labels, scores),
    )


THRESHOLDS = [30.0, 50.0, 70.0, 80.0, 85.0]


@pytest.mark.points(4)
@pytest.mark.parametrize("threshold", THRESHOLDS, ids=lambda t: f"{t:g}%")
def test_held_out_accuracy_at_least(trained, inputs, threshold, record_property, figures):
    assert [t for t, _ in inputs.THRESHOLDS] == THRESHOLDS
    accuracy, summary, mistake, advice, held_out = trained
    if threshold == THRESHOLDS[0]:  # said once, for a pass too
        record_property("note", summary)
        figures.held_out(*held_out)
    if accuracy < threshold:
        fail(  # the same words for every threshold missed: one cause, said once
            f"accuracy on held-out digits is {accuracy:.2f} %, below the threshold in the "
            "check's name." + (f" {advice}" if advice else ""),
            summary,
            mistake,
        )

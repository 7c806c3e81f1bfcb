"""Checks for exercise 08: train a CNN to a target accuracy on held-out digits.

One training run per submission (a module-scoped fixture) feeds one check per accuracy threshold.
Everything that decides points is measured here, outside the worker: the time from loading the
file to the end of `fit` (wall and CPU, import-time work included), the held-out digits (drawn
only after `fit` returned, from a seed the worker never sees; their labels never enter it) and
the accuracy computed from the model's scores. The thresholds are calibrated by
bench/calibrate_digits.py (see tests/test_digits.py). The measures are in inputs.py
(independent of any reference: a handout holds them).
"""

import pytest
import torch

from grader.checking.compare import fail, kind_of
from grader.checking.problems import CheckTimeout


def _fit(submission, inputs, seeds) -> tuple[dict, dict]:
    model = submission.drive("describe_model")
    if not model["is_module"]:
        fail("build_model() should return an nn.Module.", f"It returned a {model['type']}.")
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
    report = submission.drive("fit", seeds.get("training", 0))
    used = submission.usage()
    for kind in ("wall", "cpu"):
        if used[kind] > inputs.FIT_SECONDS:
            fail(
                f"loading your file and fit took {used[kind]:.0f} s of {kind} time, more than "
                f"the {inputs.FIT_SECONDS} s allowed (work done at import counts too): fewer "
                "epochs or a smaller model"
                + (", and one thread (no torch.set_num_threads)." if kind == "cpu" else ".")
            )
    return used, report


@pytest.fixture(scope="module")
def trained(submission, inputs, seeds):
    used, report = _fit(submission, inputs, seeds)
    images, labels = inputs.held_out(seeds.get("held-out", 1000))  # drawn after fit returned
    start, chunks = submission.usage(), []
    for i in range(0, inputs.TEST_SIZE, inputs.CHUNK):
        left = max(inputs.EVALUATION_SECONDS - (submission.usage()["wall"] - start["wall"]), 0.1)
        try:
            scores = submission.drive("scores", images[i : i + inputs.CHUNK], time_limit=left)
        except CheckTimeout:
            raise CheckTimeout(
                f"scoring the held-out digits did not finish within {inputs.EVALUATION_SECONDS} "
                "s: evaluating 2,000 digits takes a fraction of that, so training belongs in fit "
                "(and forward should only compute scores)."
            ) from None
        problem = inputs.malformed(scores, len(images[i : i + inputs.CHUNK]))
        if problem:
            fail("the model's scores for the held-out digits cannot be used.", f"{problem}.")
        chunks.append(scores)
    total = submission.usage()  # scoring counts too: training moved there is still charged
    allowed = inputs.FIT_SECONDS + inputs.SCORING_SLACK
    for kind in ("wall", "cpu"):
        if total[kind] > allowed:
            fail(
                f"loading your file, fit and scoring the held-out digits took {total[kind]:.0f} s "
                f"of {kind} time, more than the {allowed} s allowed: training belongs in fit, "
                "within its 60 s."
            )
    scores = torch.cat(chunks)
    accuracy = inputs.accuracy(scores, labels)
    summary = (
        f"Accuracy on {inputs.TEST_SIZE:,} held-out digits: {accuracy:.2f} %. Loading your file "
        f"and fit took {used['wall']:.0f} s ({used['cpu']:.0f} s of CPU) of the "
        f"{inputs.FIT_SECONDS} s allowed; with scoring, {total['wall']:.0f} s "
        f"({total['cpu']:.0f} s of CPU) of {allowed} s."
    )
    return accuracy, summary, *inputs.diagnosis(scores, accuracy, report), (images, labels, scores)


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

"""Checks for exercise 08: train a CNN to a target accuracy on held-out digits.

One training run per submission (a module-scoped fixture) feeds one check per
accuracy threshold, so each threshold reached is worth its points. The
thresholds are calibrated by bench/calibrate_digits.py (see tests/test_digits.py).
"""

import pytest

from grader.checking.compare import describe, fail

FIT_SECONDS = 60
TRAINING_SEED = 0


@pytest.fixture(scope="module")
def trained(submission, probes):
    model = submission.probe("describe_model")
    if not model["is_module"]:
        fail(f"build_model() should return an nn.Module, got a {model['type']}.")
    output = model["output"]
    if getattr(output, "shape", None) != (3, 10):
        fail(
            f"the model maps a (3, 1, 28, 28) batch to {describe(output)}; it should give (3, 10) "
            "scores."
        )
    if model["parameters"] > probes.MAX_PARAMETERS:
        fail(
            f"the model has {model['parameters']:,} parameters, more than the limit of "
            f"{probes.MAX_PARAMETERS:,}."
        )
    result = submission.probe("train_and_score", seed=TRAINING_SEED)
    if result["fit_seconds"] > FIT_SECONDS:
        fail(
            f"fit took {result['fit_seconds']:.0f} s, more than the {FIT_SECONDS} s allowed: "
            "fewer epochs or a smaller model."
        )
    return result


THRESHOLDS = [30.0, 50.0, 70.0, 80.0, 85.0]


@pytest.mark.points(4)
@pytest.mark.parametrize("threshold", THRESHOLDS, ids=lambda t: f"{t:g}%")
def test_held_out_accuracy_at_least(trained, probes, threshold):
    assert [t for t, _ in probes.THRESHOLDS] == THRESHOLDS
    accuracy = trained["accuracy"]
    if accuracy < threshold:
        next_step = (
            "Is fit training at all (optimizer.step() in the loop)?"
            if accuracy < 20
            else "More epochs, a convolutional layer, or Adam with lr=1e-3 should get there."
        )
        fail(
            f"accuracy on held-out digits is {accuracy:.2f} %, below this threshold of "
            f"{threshold:g} %. "
            f"{next_step}"
        )

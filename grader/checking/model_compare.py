"""A learner's model against the reference's, for the checks of 03 and 04: its layers said in
words, a structural difference said once (other checks point to the one that says it), and where
two models given the same parameters first part ways (grader.checking.stages)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import nn

from grader.checking import model_structure, stages
from grader.checking.compare import CheckFailure, Mistake, fail
from grader.wire.probe_tools import plain_state
from grader.wire.stages import stage_outputs

STAGE_SEED = 23  # the parameters both models get: the reference's, built from this seed


def point_to(check: str, said: list[str]) -> None:
    """The one line a check gives for a difference another check says in full."""
    fail(f"see {check}: the model's layers differ ({model_structure.summary(said)}).")


def same_layers(got: Any, want: dict, model: str, likely: Iterable[Mistake] = ()) -> None:
    """Fail, in words, when the described layers differ ("fc has 3 outputs, expected 10")."""
    said = model_structure.layer_differences(got, want)
    if not said and got == want:
        return
    mistake = next((m.message for m in likely if _matches(m, got)), "")
    if said:
        summary = model_structure.summary(said)
        fail(f"the layers of {model} differ from the spec's: {summary}.", "", mistake)
    fail(
        f"the layers of {model} differ from the spec's.",
        f"They are {got}, expected {want}.",
        mistake,
    )


def _matches(mistake: Mistake, actual: Any) -> bool:
    try:
        return bool(mistake.matches(actual))
    except Exception:  # noqa: BLE001 - a diagnosis that does not apply says nothing
        return False


def same_structure(
    state: Any, want: dict | None, model: str, shown_by: Callable[[], str | None]
) -> None:
    """Fail once, in words, when the learner's parameters (`state`) differ from `want`'s names
    and shapes; `shown_by()` names a check that already says so (then this one points to it)."""
    got = model_structure.shapes(state)
    said = model_structure.differences(got, want) if got and want else []
    if not said:
        return
    check = shown_by()
    if check:
        point_to(check, said)
    fail(f"{model}'s layers differ from the spec's: {model_structure.summary(said)}.")


def reference_stages(build: Callable[[], nn.Module], names: list[str], images) -> dict:
    """Parameters chosen here (the reference's, from a fixed seed) and each named layer's output
    of the reference model with them."""
    torch.manual_seed(STAGE_SEED)
    model = build()
    return {"state": plain_state(model), "stages": stage_outputs(model, names, images)}


def reference_stages_for(expected, build, names: list[str], images, *args) -> dict | None:
    """The parameters chosen for both models and the reference's stages with them, under the
    name "stages" (computed for every run, so that a handout records them); None when a
    handout lacks them."""
    return expected.optional(
        "stages", lambda: reference_stages(build, names, images), *args, images
    )


def localised(failure: CheckFailure, submission, found: dict | None, images, *args):
    """`failure` with where the learner's model (driver function `stages`, called with `args`,
    the chosen parameters and `images`) and the reference's (`found`) part ways, when that is
    proven."""
    if found is None:  # a handout that did not record them
        return failure
    try:
        mine = submission.drive("stages", *args, found["state"], images)
    except Exception:  # noqa: BLE001 - no localisation; the failure stands as it is
        return failure
    return stages.localised(failure, stages.first_difference(mine, found["stages"]))

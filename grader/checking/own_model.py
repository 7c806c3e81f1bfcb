"""A learner's function that walks an attribute of its own model, one the spec does not define
(`model.layers()`), fails on the grader's model with an AttributeError although it is right for
any model that has it. The check may then run it on the learner's own model carrying the
grader's parameters, once the grading process has verified that model: its layers are the
spec's and its output, with those parameters, is the spec model's (docs/diagnosis.md)."""

from __future__ import annotations

import re
from typing import Any

import torch

from grader.checking.compare import fail
from grader.checking.problems import StudentError
from grader.wire.probe_tools import describe_layers

_NO_ATTRIBUTE = re.compile(r"'(\w+)' object has no attribute '([A-Za-z_]\w{0,63})'")


def missing_attribute(problem: Exception, model_class: str, spec_names: set[str]) -> str:
    """The attribute the learner's code asked of the grader's `model_class`, when the error is
    an AttributeError saying just that and the spec does not name it; else ""."""
    if not isinstance(problem, StudentError) or not problem.is_a("AttributeError"):
        return ""
    found = _NO_ATTRIBUTE.search(problem.message)
    if not found or found.group(1) != model_class or found.group(2) in spec_names:
        return ""
    return found.group(2)


def differs_from_spec(own: dict, layers: dict, spec_output: torch.Tensor) -> str:
    """Why the learner's own model (the driver's `layers`, `output` with the grader's parameters)
    cannot stand in for the spec's, or "" when the grading process verified it can."""
    if not own.get("has"):
        return "your model has no such attribute either"
    if own.get("layers") != layers:
        return "your model's layers differ from the spec's (see its own check)"
    output = own.get("output")
    if (
        type(output) is not torch.Tensor
        or output.shape != spec_output.shape
        or not torch.allclose(output.double(), spec_output.double(), rtol=1e-4, atol=1e-5)
    ):
        return "your model with the grader's parameters gives another output (see its check)"
    return ""


def run_on_own_model(
    submission: Any,
    problem: Exception,
    spec: tuple[str, torch.nn.Module, list[str]],
    op: str,
    images: torch.Tensor,
) -> Any:
    """What the driver `op` ran on the learner's own model carrying the spec model's parameters
    (`spec`: the model's class name in the error, the model, its layers' names), once verified;
    `problem` raised again when the error is not an attribute the spec lacks."""
    model_class, spec_model, names = spec
    attribute = missing_attribute(problem, model_class, {*names, "forward"})
    if not attribute:
        raise problem
    with torch.no_grad():
        spec_output = spec_model(images)
    state = dict(spec_model.state_dict())
    own = submission.drive(op, attribute, state, images)
    why = differs_from_spec(own, describe_layers(spec_model, names), spec_output)
    if why:
        fail(
            f"your code uses model.{attribute}, which the spec's model does not define (the "
            f"check passes its own), and it cannot be checked on your own model instead: {why}.",
            problem.message,
        )
    return own["trace"]

"""A correct trace_shapes that walks its own model's method (`model.layers()`, which the spec's
SimpleCNN does not define) earns its points on the learner's own SimpleCNN carrying the grader's
parameters, once the grading process has verified that model; nothing else does
(grader/checking/own_model.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from grader.checking.own_model import differs_from_spec, missing_attribute
from grader.checking.problems import StudentError, SubmissionProblem
from grader.checking.runner import run_checks
from grader.workbook.catalog import exercise_by_id

WALKER = Path(__file__).parent / "review_data" / "independent_b" / "03_simple_cnn.py"
_ERROR = "trace_shapes raised AttributeError: '{0}' object has no attribute '{1}'"
SPEC = {"conv1", "pool", "conv2", "fc1", "fc2", "forward"}


def _error(model_class="TrustedSimpleCNN", name="layers", types=("AttributeError",)):
    return StudentError(_ERROR.format(model_class, name), types)


def test_only_an_attribute_error_on_the_graders_model_for_a_name_the_spec_lacks_counts():
    assert missing_attribute(_error(), "TrustedSimpleCNN", SPEC) == "layers"
    assert missing_attribute(_error(name="conv1"), "TrustedSimpleCNN", SPEC) == ""  # the spec's
    assert missing_attribute(_error("Tensor"), "TrustedSimpleCNN", SPEC) == ""  # not the model
    assert missing_attribute(_error(types=("TypeError",)), "TrustedSimpleCNN", SPEC) == ""
    assert (
        missing_attribute(SubmissionProblem(_ERROR.format("TrustedSimpleCNN", "x")), "T", SPEC)
        == ""
    )
    assert missing_attribute(_error(name="x" * 200), "TrustedSimpleCNN", SPEC) == ""


def test_the_own_model_stands_in_only_when_its_layers_and_output_are_the_specs():
    layers, output = {"fc2": ("Linear", 64, 10)}, torch.ones(2, 10)
    good = {"has": True, "layers": layers, "output": output.clone(), "trace": []}
    assert differs_from_spec(good, layers, output) == ""
    assert "no such attribute" in differs_from_spec({"has": False}, layers, output)
    assert "layers differ" in differs_from_spec({**good, "layers": {}}, layers, output)
    near = output.clone()
    near[0, 0] += 1e-2
    assert "another output" in differs_from_spec({**good, "output": near}, layers, output)
    assert "another output" in differs_from_spec({**good, "output": [1.0]}, layers, output)
    assert "another output" in differs_from_spec({**good, "output": output[:1]}, layers, output)


def _grade(tmp_path, source: str):
    exercise = exercise_by_id("simple_cnn")
    (tmp_path / exercise.filename).write_text(source)
    graded = run_checks(submission=tmp_path, exercises=[exercise]).exercises[exercise.id]
    return exercise, {c.name: c for c in graded.checks}, graded.score


def test_a_trace_over_its_own_models_layers_earns_full_points(tmp_path):
    exercise, _, score = _grade(tmp_path, WALKER.read_text())
    assert score == exercise.points


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (  # its own model lacks the attribute too
            ("for name, layer in model.layers():", "for name, layer in model.blocks():"),
            "no such attribute either",
        ),
        (  # its own model skips the last ReLU: its output is not the spec's
            ('("fc1", self.fc1), ("relu3", fn.relu),', '("fc1", self.fc1),'),
            "another output",
        ),
        (  # its own model's fc2 has 9 outputs: its layers are not the spec's
            ("nn.Linear(64, 10)", "nn.Linear(64, 9)"),
            "layers differ",
        ),
    ],
)
def test_a_trace_over_an_unverified_own_model_earns_nothing(tmp_path, edit, said):
    source = WALKER.read_text()
    assert source.count(edit[0]) == 1
    _, checks, _ = _grade(tmp_path, source.replace(*edit))
    for batch in (2, 5):
        check = checks[f"trace_shapes[{batch}]"]
        assert not check.passed and said in check.message, check.message

"""Models localised by layer (issue 23): given the same parameters, where a learner's model and
the reference's first part ways; a structural difference said once, in words."""

from __future__ import annotations

import torch
from torch import nn

from grader.checking import model_structure, stages
from grader.wire.stages import stage_outputs
from tests.helpers import grade, write


class Net(nn.Module):
    """SimpleCNN's layers; `mistake` changes what forward does between them."""

    def __init__(self, mistake: str = "") -> None:
        super().__init__()
        self.mistake = mistake
        self.conv1, self.pool = nn.Conv2d(1, 4, 3, padding=1), nn.MaxPool2d(2)
        self.conv2, self.fc = nn.Conv2d(4, 8, 3, padding=1), nn.Linear(392, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.conv2(x)
        x = self.pool(x if self.mistake == "no_relu2" else torch.relu(x))
        x = self.fc(torch.flatten(x, 1))
        return torch.relu(x) if self.mistake == "relu_on_logits" else x


NAMES = ["conv1", "pool", "conv2", "fc"]


def _stages(mistake: str, images):
    torch.manual_seed(0)
    return stage_outputs(Net(mistake), NAMES, images)


def test_the_first_differing_stage_is_named_and_agreeing_models_are_not():
    images = torch.randn(2, 1, 28, 28)
    want = _stages("", images)
    assert stages.first_difference(_stages("", images), want) is None
    sentence, details = stages.first_difference(_stages("no_relu2", images), want)
    assert "agree up to conv2; the output of pool after conv2 differs" in sentence
    assert "2x8x14x14" in details
    sentence, _ = stages.first_difference(_stages("relu_on_logits", images), want)
    assert "agree up to fc, the last; what forward does after fc differs" in sentence


def test_a_localised_failure_keeps_what_its_values_show():
    from grader.checking.anatomy_tools import Finding
    from grader.checking.compare import CheckFailure

    shows = Finding("your tensor equals softmax of the expected one")
    failure = CheckFailure("wrong values.", "the grids", "", shows)
    localised = stages.localised(failure, ("It parts at fc.", "Up to fc they agree."))
    assert localised.shows is shows and "It parts at fc." in localised.headline


def test_stages_that_cannot_be_lined_up_say_nothing():
    images = torch.randn(1, 1, 28, 28)
    want = _stages("", images)
    other = {"stages": [["fc", None], ["conv1", want["stages"][0][1]]], "output": None}
    assert stages.first_difference(other, want) is None
    assert stages.first_difference({"stages": "not a list"}, want) is None
    assert stages.first_difference([1, 2], want) is None


def test_structure_in_words_from_names_and_shapes():
    want = {"conv2.weight": (4, 4, 3, 3), "conv2.bias": (4,), "fc.weight": (10, 20)}
    want["fc.bias"] = (10,)
    got = {"conv2.weight": (4, 8, 5, 5), "conv2.bias": (4,), "fc.weight": (3, 20)}
    got["fc.bias"], got["extra.weight"] = (3,), (2, 2)
    assert model_structure.differences(got, want) == [
        "conv2 takes 8 channels, expected 4",
        "conv2 has a 5x5 kernel, expected 3x3",
        "fc has 3 outputs, expected 10",
        "extra is a layer the spec does not have",
    ]
    assert model_structure.differences(want, want) == []
    assert model_structure.differences({"conv2.weight": (4, 4, 3, 3)}, want)[0] == (
        "conv2 has no bias, expected one"
    )


def _graded(tmp_path, exercise: str, old: str, new: str):
    from grader.workbook.catalog import exercise_by_id
    from grader.workbook.paths import SOLUTIONS_DIR

    source = (SOLUTIONS_DIR / exercise_by_id(exercise).filename).read_text()
    assert old in source
    write(tmp_path, exercise, source.replace(old, new))
    return {c.name: c for c in grade(tmp_path, exercise).exercises[exercise].checks}


def test_a_wrong_layer_is_localised_to_it(tmp_path):
    checks = _graded(
        tmp_path,
        "simple_cnn",
        "x = self.pool(F.relu(self.conv2(x)))",
        "x = self.pool(F.relu(self.conv2(x) * 2))",
    )
    forward = checks["simple_cnn_forward"]
    assert forward.score == 0
    assert "agree up to conv2; the output of pool after conv2 differs" in forward.message
    assert all(c.passed for name, c in checks.items() if name != "simple_cnn_forward")


def test_the_reference_is_not_localised(tmp_path):
    write(tmp_path, "simple_cnn")
    write(tmp_path, "layer_tweaks")
    result = grade(tmp_path, "simple_cnn", "layer_tweaks")
    for exercise in result.exercises.values():
        assert exercise.score == exercise.max_score
        assert not any(c.message for c in exercise.checks if "forward" in c.name)


def test_a_structural_difference_is_said_once(tmp_path):
    checks = _graded(
        tmp_path,
        "layer_tweaks",
        "nn.Linear(channels * side * side, 10)",
        "nn.Linear(channels * side * side, 3)",
    )
    failed = {name: c.message for name, c in checks.items() if not c.passed}
    assert len(failed) == 7, failed
    said = [m for m in failed.values() if not m.startswith("see tinycnn_default_layers:")]
    words = "fc has 3 outputs, expected 10"
    assert said == [f"the layers of TinyCNN() differ from the spec's: {words}."]
    for message in failed.values():
        assert "size mismatch" not in message and "2352 inputs" not in message
        assert len(message.splitlines()) == 1


def test_lazy_layers_in_simple_cnn_and_tiny_cnn_earn_full_points(tmp_path):
    from grader.workbook.catalog import exercise_by_id
    from grader.workbook.paths import SOLUTIONS_DIR

    edits = {
        "simple_cnn": ("self.fc1 = nn.Linear(8 * 7 * 7, 64)", "self.fc1 = nn.LazyLinear(64)"),
        "layer_tweaks": (
            "self.fc = nn.Linear(channels * side * side, 10)",
            "self.fc = nn.LazyLinear(10)",
        ),
    }
    for exercise, (old, new) in edits.items():
        source = (SOLUTIONS_DIR / exercise_by_id(exercise).filename).read_text()
        assert old in source
        write(tmp_path, exercise, source.replace(old, new))
    result = grade(tmp_path, *edits)
    for exercise in result.exercises.values():
        assert exercise.score == exercise.max_score, [c.message for c in exercise.checks]


def test_stages_are_bounded_in_number_and_size():
    class Loop(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(4, 4)

        def forward(self, x):
            for _ in range(100):
                x = self.fc(x)
            return x

    found = stage_outputs(Loop(), ["fc", "missing"], torch.ones(2, 4))
    assert len(found["stages"]) == 24 and all(name == "fc" for name, _ in found["stages"])
    big = stage_outputs(Loop(), ["fc"], torch.ones(200_000, 4))
    assert [s for _, s in big["stages"]][:1] == [None]  # 800,000 values: named, not sent


def test_lazy_layers_are_materialised_by_one_forward():
    from grader.wire.lazy import is_lazy, materialised

    model = nn.Sequential(nn.Flatten(), nn.LazyLinear(3)).train()
    assert is_lazy(model)
    materialised(model, torch.zeros(1, 1, 2, 2))
    assert not is_lazy(model) and model.training
    assert sum(p.numel() for p in model.parameters()) == 4 * 3 + 3

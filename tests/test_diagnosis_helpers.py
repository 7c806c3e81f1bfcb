"""Small helpers behind the checks' diagnoses: each names a cause only for the answer that cause
computes, and says nothing otherwise."""

from __future__ import annotations

import torch

from grader.checking.known_mistakes import integer_division
from grader.checking.layer_text import differences
from grader.wire.probe_tools import without_aliases


def test_integer_division_is_named_for_its_int_zero_only():
    mistake = integer_division(30.0, 10, "seen")
    assert mistake.matches(0) and "3 // 10 = 0" in mistake.message
    assert not mistake.matches(0.0)  # never counting a correct answer gives 0.0 too
    assert not mistake.matches(30.0) and not mistake.matches(3)
    assert not integer_division(100.0, 10, "seen").matches(100)  # all right: // is harmless


def test_layer_differences_name_the_settings():
    want = ("Conv2d", 1, 4, (3, 3), (1, 1), (1, 1), True)
    got = ("Conv2d", 1, 4, (3, 3), (1, 1), (0, 0), True)
    assert differences(got, want) == "padding=0 (expected padding=1)"
    assert differences(("Linear", 64, 11, True), ("Linear", 64, 10, True)) == (
        "out_features=11 (expected out_features=10)"
    )
    assert differences(("Linear", 392, 64, True), want) == ""  # another kind of layer
    assert differences(None, want) == ""


def test_aliases_of_a_state_are_dropped_and_nothing_else():
    weight = torch.randn(2, 3)
    wanted = {"conv1.weight": weight}
    assert without_aliases(
        {"conv1.weight": weight, "features.0.weight": weight.clone()}, wanted
    ) == {"conv1.weight": weight}
    other = {"conv1.weight": weight, "extra.weight": torch.zeros(2, 3)}
    assert without_aliases(other, wanted) is other  # a tensor of its own: load_state_dict decides
    missing = {"features.0.weight": weight}
    assert without_aliases(missing, wanted) is missing


def test_08_names_uncleared_gradients_only_when_every_backward_met_them():
    from grader.workbook.catalog import exercise_by_id
    from grader.workbook.files import load_file

    oracle = load_file("diagnosis_inputs", exercise_by_id("train_digits").folder / "inputs.py")
    scores = torch.randn(20, 10)
    mistake, _ = oracle.diagnosis(scores, 26.5, {"backwards": 314, "stale": 313})
    assert mistake.startswith("gradients are never cleared: at 313 of 314")
    for report in ({"backwards": 314, "stale": 157}, {"backwards": 314, "stale": "313"}, None):
        mistake, advice = oracle.diagnosis(scores, 26.5, report)  # accumulation, or no account
        assert "never cleared" not in mistake and "More epochs" in advice
    assert oracle.diagnosis(scores, 90.0, {"backwards": 314, "stale": 313})[0] == ""

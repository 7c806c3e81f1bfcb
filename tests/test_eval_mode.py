"""Exercise 07's eval-mode points rest on the answer the model gives in evaluation mode: these
tests measure that training mode never gives it, in any form the checks accept (issue 21)."""

from __future__ import annotations

import importlib.util

import pytest
import torch

from grader.workbook.catalog import load_catalog

DRAWS = 300


def _inputs():
    (evaluate,) = [e for e in load_catalog() if e.id == "evaluate"]
    spec = importlib.util.spec_from_file_location(
        "inputs_evaluate_test", evaluate.folder / "inputs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _training_mode_answers(inputs, case: dict) -> tuple:
    """One run of the three functions with the model left in training mode, buffers put back."""
    model = inputs.driver.build(case["state"])
    with torch.no_grad():
        predictions = model(case["images"]).argmax(1)
        correct = sum(int((model(x).argmax(1) == y).sum()) for x, y in case["batches"])
    matrix = torch.zeros(10, 10, dtype=torch.int64)
    for true, predicted in zip(case["labels"].tolist(), predictions.tolist()):
        matrix[true, predicted] += 1
    return predictions, 100.0 * correct / len(case["labels"]), matrix


@pytest.mark.parametrize("seed", [5, 4, 11, 777, 12345])
def test_training_mode_never_gives_an_eval_mode_answer(seed):
    inputs = _inputs()
    case = inputs.make_mode_case(seed)
    forms = inputs.eval_mode_answers(case)
    hits = {"predict": 0, "accuracy": 0, "confusion_matrix": 0}
    torch.manual_seed(seed)
    for _ in range(DRAWS):
        predictions, percent, matrix = _training_mode_answers(inputs, case)
        hits["predict"] += torch.equal(predictions, forms["predict"][0])
        hits["accuracy"] += any(abs(percent - f) < 1e-6 for f in forms["accuracy"])
        hits["confusion_matrix"] += any(torch.equal(matrix, f) for f in forms["confusion_matrix"])
    assert hits == {"predict": 0, "accuracy": 0, "confusion_matrix": 0}


def test_the_eval_mode_answers_are_the_references():
    """The first form of each answer is what the reference gives (the model in eval mode)."""
    from grader.workbook.files import load_file
    from grader.workbook.paths import SOLUTIONS_DIR

    inputs = _inputs()
    reference = load_file("reference_evaluate_test", SOLUTIONS_DIR / "07_evaluate.py")
    case = inputs.make_mode_case(5)
    forms = inputs.eval_mode_answers(case)
    model = inputs.driver.build(case["state"])
    assert torch.equal(reference.predict(model, case["images"]), forms["predict"][0])
    model = inputs.driver.build(case["state"])
    assert reference.accuracy(model, case["batches"]) == pytest.approx(forms["accuracy"][0])
    model = inputs.driver.build(case["state"])
    matrix = reference.confusion_matrix(model, case["batches"], num_classes=10)
    assert torch.equal(matrix, forms["confusion_matrix"][0])

"""Checks for exercise 07: predictions and accuracy. The model arrives in training mode,
with dropout and batch norm, so evaluating it in the wrong mode gives other answers."""

import pytest
import torch

from grader.checking.compare import expect_number, expect_tensor, fail, looks_like, when

SEED = 4


def _expected(probes):
    model = probes.make_model(SEED)
    images, labels, loader = probes.make_data(SEED)
    return model, images, labels, loader


def _expect_eval_mode(modes: list[dict], function: str) -> None:
    if not modes:
        fail(f"{function} never ran the model.")
    if any(m["training"] for m in modes):
        fail(
            f"{function} ran the model in training mode: call model.eval() first. In training mode "
            "dropout drops units at random and batch norm uses the batch's statistics, so the "
            "predictions are noisy and wrong."
        )


def _expect_no_gradients(modes: list[dict], function: str) -> None:
    if not modes:
        fail(f"{function} never ran the model.")
    if any(m["grad_enabled"] and not m["inference_mode"] for m in modes):
        fail(
            f"{function} recorded gradients: run the model inside `with torch.no_grad():` (or "
            "torch.inference_mode()). Evaluation needs no backward pass, and recording costs "
            "memory "
            "and time."
        )


def _expect_evaluation_mode(modes: list[dict], function: str) -> None:
    _expect_eval_mode(modes, function)
    _expect_no_gradients(modes, function)


@pytest.mark.points(3)
def test_predict_returns_classes(submission, probes, reference):
    model, images, _, _ = _expected(probes)
    expected = reference.predict(model, images)
    with torch.no_grad():
        scores = model(images)
    result = submission.probe("run", "predict", SEED)
    expect_tensor(
        result["value"],
        expected,
        what="predict(model, 13 images)",
        likely=[
            when(
                lambda a: a.shape == (10,),
                "the argmax is over the wrong dimension: dim=0 picks, for each "
                "class, the image with the highest score. Use dim=1, the class dimension.",
            ),
            when(
                lambda a: a.shape == scores.shape,
                "these are the scores: take the argmax over dim=1.",
            ),
            when(
                lambda a: a.dtype != torch.int64,
                "class indices should be int64 (what argmax returns).",
            ),
        ],
    )


@pytest.mark.points(2)
def test_predict_uses_eval_mode(submission):
    _expect_eval_mode(submission.probe("run", "predict", SEED)["modes"], "predict")


@pytest.mark.points(2)
def test_predict_records_no_gradients(submission):
    _expect_no_gradients(submission.probe("run", "predict", SEED)["modes"], "predict")


@pytest.mark.points(3)
def test_accuracy_in_percent(submission, probes, reference):
    model, _, _, loader = _expected(probes)
    expected = reference.accuracy(model, loader)
    per_batch = [100.0 * (model(x).argmax(1) == y).float().mean().item() for x, y in loader]
    result = submission.probe("run", "accuracy", SEED)
    expect_number(
        result["value"],
        expected,
        what="accuracy(model, loader)",
        inputs="13 samples in batches of 5, 5, 3",
        likely=[
            when(
                lambda a: abs(a * 100 - expected) < 1e-6,
                "the accuracy is a fraction (0-1); the spec asks for percent (0-100): multiply by "
                "100.",
            ),
            when(
                lambda a: abs(a - sum(per_batch) / len(per_batch)) < 1e-6,
                "this averages the batches' accuracies, which over-weights the last, smaller "
                "batch: count correct predictions and samples over all batches, then divide.",
            ),
            when(lambda a: type(a) is torch.Tensor, "return a Python float (.item())."),
        ],
    )
    _expect_evaluation_mode(result["modes"], "accuracy")


@pytest.mark.points(2)
def test_accuracy_evaluates_properly(submission):
    _expect_evaluation_mode(submission.probe("run", "accuracy", SEED)["modes"], "accuracy")


@pytest.mark.points(4)
def test_confusion_matrix(submission, probes, reference):
    model, _, _, loader = _expected(probes)
    expected = reference.confusion_matrix(model, loader, num_classes=10)
    result = submission.probe("run", "confusion_matrix", SEED)
    expect_tensor(
        result["value"],
        expected,
        what="confusion_matrix(model, loader)",
        likely=[
            looks_like(
                expected.T, "rows and columns are swapped: row = true label, column = prediction."
            ),
            when(
                lambda a: a.dtype != torch.int64,
                "counts should be int64 (torch.zeros(..., dtype=torch.int64)).",
            ),
        ],
    )
    _expect_evaluation_mode(result["modes"], "confusion_matrix")

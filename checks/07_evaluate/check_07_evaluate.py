"""Checks for exercise 07: predictions and accuracy. The model arrives in training mode, with
dropout and batch norm, so the eval-mode points need the answer it gives in evaluation mode,
computed here (its running statistics only name the mistake). Autograd recording is seen through a
layer autograd refuses to run while recording. Correct answers come from the reference through
`expected` (a handout replays it); the model, images and labels from inputs.py."""

import pytest
import torch

from grader.checking.anatomy_batches import (
    Aggregated,
    confusion_counts,
    counted_batches,
    regroup,
)
from grader.checking.compare import (
    StudentError,
    expect_number,
    expect_tensor,
    fail,
    looks_like,
    when,
)
from grader.checking.known_mistakes import integer_division

FUNCTIONS = ("predict", "accuracy", "confusion_matrix")


@pytest.fixture(scope="module")
def case(inputs, seeds):
    return inputs.make_case(seeds.get("case", 4))


@pytest.fixture(scope="module")
def mode_case(inputs, seeds):
    return inputs.make_mode_case(seeds.get("mode_case", 5))


def _run(submission, case, function: str, tripwire: bool = False) -> dict:
    return submission.drive(
        "run", function, case["state"], case["images"], case["batches"], tripwire=tripwire
    )


def _same(value, want) -> bool:
    """`value` is `want` (a form of the eval-mode answer), whatever its number type."""
    if type(want) is torch.Tensor:
        if type(value) is not torch.Tensor or value.shape != want.shape or value.is_complex():
            return False
        if want.is_floating_point():
            return bool(torch.allclose(value.double(), want.double(), rtol=1e-4, atol=1e-5))
        return bool(torch.equal(value.double(), want.double()))
    if type(value) is torch.Tensor and value.numel() == 1 and not value.is_complex():
        value = float(value.item())
    return type(value) in (int, float) and abs(value - want) <= 1e-6 * max(1.0, abs(want))


def _expect_eval_mode(submission, mode_case, inputs, function: str) -> None:
    """The points need the answer the model gives in evaluation mode, computed here: in training
    mode dropout and batch statistics give other answers (never the same, tests/test_eval_mode.py).
    The model's state afterwards only names the mistake: the learner's code could put it back."""
    result = _run(submission, mode_case, function)
    if any(_same(result["value"], want) for want in inputs.eval_mode_answers(mode_case)[function]):
        return
    state = result["state"]
    for name, before in mode_case["state"].items():
        if "count" in name:
            continue
        after = state.get(name) if isinstance(state, dict) else None
        if type(after) is not torch.Tensor or not torch.equal(after, before):
            fail(
                f"{function} ran the model in training mode: its batch norm statistics changed "
                f"({name}).",
                mistake="call model.eval() first. In training mode dropout drops units at random "
                "and batch norm uses (and updates) the batch's statistics, so the predictions are "
                "noisy and wrong.",
            )
    if not result["forwards"]:
        fail(f"{function} never ran the model it was given, so it cannot have evaluated it.")
    fail(
        f"{function}'s answer is not what the model gives in evaluation mode, so these points "
        "cannot be given: they need that answer. If it calls model.eval() before running the "
        "model, its own check says what else differs.",
    )


@pytest.mark.points(3)
def test_predict_returns_classes(submission, case, inputs, reference, expected):
    model = inputs.model_for(case)
    want = expected("predict", lambda: reference.predict(model, case["images"]), case)
    with torch.no_grad():
        scores = model(case["images"])
    expect_tensor(
        _run(submission, case, "predict")["value"],
        want,
        what="predict(model, 13 images)",
        likely=[
            when(  # proven on the values: the argmax over the images, for each class
                lambda a: a.shape == (10,) and torch.equal(a, scores.argmax(dim=0)),
                "the argmax is over the wrong dimension: dim=0 picks, for each "
                "class, the image with the highest score. Use dim=1, the class dimension.",
            ),
            when(
                lambda a: a.shape == (*want.shape, 1),
                "the predictions are a column, shape (N, 1) (as argmax(dim=1, keepdim=True) "
                "gives): predict returns one class index per image, shape (N,), so leave "
                "keepdim out.",
            ),
            looks_like(scores, "these are the model's scores: take the argmax over dim=1."),
            looks_like(
                scores.max(dim=1).values,
                "these are the highest scores (torch.max(...)[0], the values): the class indices "
                "are torch.max(...)[1], the positions of those scores.",
            ),
            looks_like(
                scores.softmax(dim=1),
                "these are the class probabilities (a softmax of the scores): take the argmax "
                "over dim=1.",
            ),
            when(
                lambda a: a.shape == scores.shape,
                "one row of 10 values per image, the scores' shape: predict returns the argmax "
                "over dim=1, one class index per image.",
            ),
            when(
                lambda a: a.dtype != torch.int64,
                "class indices should be int64 (what argmax returns).",
            ),
        ],
    )
    # a batch of one is still a batch: shape (1,), not a 0-d tensor
    alone = _run(submission, {**case, "images": case["images"][:1]}, "predict")["value"]
    expect_tensor(
        alone,
        want[:1],
        what="predict(model, 1 image)",
        likely=[
            when(
                lambda a: a.shape == (),
                "a batch of one gave a 0-d tensor, shape (), where one class index per image, "
                "shape (1,), is expected (.squeeze() and argmax() without dim give 0-d): return "
                "argmax(dim=1) as it is, shape (B,).",
            )
        ],
    )


@pytest.mark.points(2)
def test_predict_uses_eval_mode(submission, mode_case, inputs):
    _expect_eval_mode(submission, mode_case, inputs, "predict")


@pytest.mark.points(3)
def test_accuracy_in_percent(submission, case, mode_case, inputs, reference, expected):
    model = inputs.model_for(case)
    want = expected("accuracy", lambda: reference.accuracy(model, case["batches"]), case)
    # the same samples in other batches, to confirm a way of putting batches together
    regrouped = {**case, "batches": regroup(case["images"], case["labels"], (4, 4, 4, 1))}
    parts = _parts(model, case["batches"])  # per batch: (correct, samples)
    expect_number(
        _run(submission, case, "accuracy")["value"],
        want,
        what="accuracy(model, loader)",
        inputs="13 samples in batches of 5, 5, 3",
        facts={"the number of samples": 13, "the number of batches": 3, "the batch size": 5},
        likely=[
            when(
                lambda a: _fraction(a, want, submission, mode_case, inputs),
                "the accuracy is a fraction (0-1); the spec asks for percent (0-100): multiply by "
                "100.",
            ),
            when(lambda a: type(a) is torch.Tensor, "return a Python float (.item())."),
            integer_division(want, len(case["labels"]), "total"),
            Aggregated(
                parts,
                _parts(model, regrouped["batches"]),
                lambda: _run(submission, regrouped, "accuracy")["value"],
                what="your accuracy",
            ),
        ],
    )


def _fraction(a, want: float, submission, mode_case, inputs) -> bool:
    """A fraction here, and on the mode check's case, whose right accuracy is another number: one
    number is little proof (100 / c / n is c / n when 10 are right)."""
    right = inputs.eval_mode_answers(mode_case)["accuracy"][0]  # the percent
    if not abs(a * 100 - want) < 1e-6 or right == 0 or abs(right - want) < 1e-6:
        return False
    return _same(_run(submission, mode_case, "accuracy")["value"], right / 100)


def _parts(model, batches) -> list[tuple[float, int]]:
    return [(float(m.trace()), int(m.sum())) for m in confusion_counts(model, batches)]


@pytest.mark.points(2)
def test_accuracy_uses_eval_mode(submission, mode_case, inputs):
    _expect_eval_mode(submission, mode_case, inputs, "accuracy")


@pytest.mark.points(3)
def test_confusion_matrix(submission, case, inputs, reference, expected, figures):
    want = expected(
        "confusion_matrix",
        lambda: reference.confusion_matrix(inputs.model_for(case), case["batches"], num_classes=10),
        case,
    )
    got = _run(submission, case, "confusion_matrix")["value"]
    figures.confusion(got, want)
    expect_tensor(
        got,
        want,
        what="confusion_matrix(model, loader)",
        likely=[
            looks_like(
                want.T, "rows and columns are swapped: row = true label, column = prediction."
            ),
            when(
                lambda a: a.dtype != torch.int64,
                "counts should be int64 (torch.zeros(..., dtype=torch.int64)).",
            ),
            *counted_batches(confusion_counts(inputs.model_for(case), case["batches"])),
        ],
    )
    # the whole contract: num_classes by default, and beyond every label and prediction seen
    wider = torch.zeros(13, 13, dtype=torch.int64)
    wider[:10, :10] = want
    # and each batch twice over, so every (label, prediction) pair repeats within its batch
    twice = {
        **case,
        "batches": [(torch.cat([x, x]), torch.cat([y, y])) for x, y in case["batches"]],
    }
    for function, call, batches, want_here in (
        ("confusion_matrix_default", "confusion_matrix(model, loader)", case, want),
        ("confusion_matrix_13", "confusion_matrix(model, loader, num_classes=13)", case, wider),
        ("confusion_matrix", "confusion_matrix(model, each batch twice)", twice, 2 * want),
    ):
        expect_tensor(
            _run(submission, batches, function)["value"],
            want_here,
            what=call,
            likely=[
                when(
                    lambda a: a.dim() == 2 and a.shape[0] == a.shape[1] != want_here.shape[0],
                    f"the matrix should be num_classes x num_classes "
                    f"({want_here.shape[0]} x {want_here.shape[0]} here).",
                ),
                looks_like(
                    _once_per_batch(inputs.model_for(case), twice["batches"]),
                    "each (label, prediction) pair is counted once per batch: matrix[labels, "
                    "predictions] += 1 adds 1 once for an index pair that repeats. Count in a "
                    "loop, or with index_put_(..., accumulate=True) or torch.bincount.",
                ),
            ],
        )


def _once_per_batch(model, batches) -> torch.Tensor:
    """What matrix[labels, predictions] += 1 gives: a pair repeated within a batch counts once."""
    return sum((m > 0).long() for m in confusion_counts(model, batches))


@pytest.mark.points(2)
def test_confusion_matrix_uses_eval_mode(submission, mode_case, inputs):
    _expect_eval_mode(submission, mode_case, inputs, "confusion_matrix")


@pytest.mark.points(1)
def test_evaluation_records_no_gradients(submission, case, inputs, reference, expected):
    """One point for all three: autograd recording is the one fact only the worker sees."""
    model = inputs.model_for(case)
    for function in FUNCTIONS:
        try:
            value = _run(submission, case, function, tripwire=True)["value"]
        except StudentError as error:
            if "leaf Variable that requires grad" not in error.message:
                raise
            fail(
                f"{function} ran the model while autograd was recording gradients.",
                mistake="run the model inside `with torch.no_grad():` (or torch.inference_mode(), "
                "or decorate the function with @torch.no_grad()). Evaluation needs no backward "
                "pass, and recording costs memory and time. (This check's model changes a "
                "counter in place at each forward, which autograd refuses only while recording.)",
            )
        args = (case["images"],) if function == "predict" else (case["batches"],)
        # the same call as the function's own check, so both share one recorded value
        extra = {"num_classes": 10} if function == "confusion_matrix" else {}
        want = expected(
            function,
            lambda args=args, function=function, extra=extra: getattr(reference, function)(
                model, *args, **extra
            ),
            case,
        )
        if type(want) is torch.Tensor:
            if type(value) is not torch.Tensor or not torch.equal(value, want):
                fail(f"{function} gives another answer on a second model (see its own check).")
        elif type(value) not in (int, float) or abs(value - want) > 1e-6:
            fail(f"{function} gives another answer on a second model (see its own check).")

"""Fresh learner files that resemble a named mistake but are not it (issue 23's proof gate):
each loses points, and the rule it resembles stays silent. Written for the audit of the rules
whose words were gated or weakened (tests/test_advice_proofs.py); each edit is of the reference."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from grader.checking.runner import run_checks
from grader.workbook.catalog import exercise_by_id
from grader.workbook.paths import SOLUTIONS_DIR


@dataclass(frozen=True)
class NearMiss:
    name: str
    exercise: str
    edits: tuple[tuple[str, str], ...]
    check: str  # the failing check's name starts with this
    absent: tuple[str, ...]  # the words of the rule it resembles: a wrong diagnosis
    said: tuple[str, ...] = ()  # what the values do show


NEAR_MISSES = [
    NearMiss(  # train_step's loss from a second forward after the step: reproduced
        "step_loss_after_step",
        "training_step",
        (("    return loss.item()\n", "    return criterion(model(images), labels).item()\n"),),
        "train_step_returns_the_loss_as_float",
        (),
        ("second forward pass after optimizer.step()",),
    ),
    NearMiss(  # train_step's loss halved: not a second forward
        "step_loss_halved",
        "training_step",
        (("    return loss.item()\n", "    return loss.item() / 2\n"),),
        "train_step_returns_the_loss_as_float",
        ("second forward",),
    ),
    NearMiss(  # accuracy from a second forward after the step: reproduced by the oracle
        "accuracy_after_step",
        "training_step",
        (
            (
                "        correct += (outputs.argmax(dim=1) == labels).sum().item()\n",
                "        correct += (model(images).argmax(dim=1) == labels).sum().item()\n",
            ),
        ),
        "train_epoch_accuracy",
        (),
        ("second forward pass after optimizer.step()",),
    ),
    NearMiss(  # accuracy one sample short: no second forward, no rounding named
        "accuracy_one_short",
        "training_step",
        (
            (
                "    return total_loss / seen, 100.0 * correct / seen",
                "    return total_loss / seen, 100.0 * (correct - 1) / seen",
            ),
        ),
        "train_epoch_accuracy",
        ("second forward", "rounded", "divided by"),
    ),
    NearMiss(  # accuracy floored: the anatomy of the number says so
        "accuracy_floored",
        "evaluate",
        (("    return 100.0 * correct / total", "    return 100.0 * correct // total"),),
        "accuracy",
        (),
        ("cut to a whole number",),
    ),
    NearMiss(  # the pair swapped: named, as each element is exactly the other's expected value
        "pair_swapped",
        "data",
        (("        return image, self.labels[idx]\n", "        return self.labels[idx], image\n"),),
        "dataset_length_and_items",
        (),
        ("returns (label, image)",),
    ),
    NearMiss(  # the label first, but the image doubled: not the swap, so the swap is not named
        "pair_swapped_image_doubled",
        "data",
        (
            (
                "        return image, self.labels[idx]\n",
                "        return self.labels[idx], image * 2\n",
            ),
        ),
        "dataset_length_and_items",
        ("returns (label, image)",),
    ),
    NearMiss(  # the number of tensors: named, both numbers being the tensors' counts
        "tensors_counted",
        "count_parameters",
        (
            ("total = sum(p.numel() for p in params)", "total = len(params)"),
            (
                "sum(p.numel() for p in params if p.requires_grad)",
                "len([p for p in params if p.requires_grad])",
            ),
        ),
        "count_parameters_plain_model",
        (),
        ("number of parameter tensors",),
    ),
    NearMiss(  # only the total counts tensors: not both numbers, so no tensors' count is named
        "total_counts_tensors",
        "count_parameters",
        (("total = sum(p.numel() for p in params)", "total = len(params)"),),
        "count_parameters_plain_model",
        ("number of parameter tensors",),
    ),
    NearMiss(  # biases counted twice with bias=True: not "bias=False still adds"
        "biases_twice",
        "count_parameters",
        (("+ (out_channels if bias else 0)\n", "+ (2 * out_channels if bias else 0)\n"),),
        "conv2d_param_count",
        ("bias=False still adds",),
    ),
    NearMiss(  # kh left out of the weights: not "in_channels is missing"
        "kh_left_out",
        "count_parameters",
        (("out_channels * in_channels * kh * kw +", "out_channels * in_channels * kw +"),),
        "conv2d_param_count",
        ("in_channels is missing", "swapped"),
    ),
    NearMiss(  # padding added once: one row short, not "padding is missing"
        "padding_once",
        "simple_cnn",
        (
            (
                "(size + 2 * padding - kernel_size) // stride",
                "(size + padding - kernel_size) // stride",
            ),
        ),
        "conv_output_size",
        ("padding is missing",),
    ),
    NearMiss(  # the padded magnitude's border cropped: the unpadded values, no cause named
        "magnitude_cropped",
        "edge_filter",
        (("return torch.sqrt(gh**2 + gv**2)", "return torch.sqrt(gh**2 + gv**2)[1:-1, 1:-1]"),),
        "edge_magnitude",
        ("padding=1 is missing", "square root"),
        ("unpadded image",),
    ),
    NearMiss(  # ten predictions, but the first ten images' (argmax over dim=1): not dim=0
        "ten_predictions",
        "evaluate",
        (("return model(images).argmax(dim=1)\n", "return model(images).argmax(dim=1)[:10]\n"),),
        "predict_returns_classes",
        ("wrong dimension", "dim=0 picks"),
    ),
    NearMiss(  # an out-of-place sub whose result is dropped: nothing rebinds the loop variable
        "update_dropped",
        "training_step",
        (("            p -= lr * p.grad\n", "            p.sub(lr * p.grad)\n"),),
        "sgd_step_updates_the_parameters",
        ("rebinds", "sign is flipped"),
        ("nothing changed",),
    ),
]


@pytest.mark.parametrize("miss", NEAR_MISSES, ids=lambda m: f"{m.exercise}-{m.name}")
def test_a_near_miss_loses_points_and_is_not_misnamed(miss, tmp_path):
    check_near_miss(miss, tmp_path)


def check_near_miss(miss: NearMiss, tmp_path) -> None:
    """The edited reference loses points, `miss.check` fails, the resembled words are absent
    and the proven ones said."""
    exercise = exercise_by_id(miss.exercise)
    source = (SOLUTIONS_DIR / exercise.filename).read_text()
    for old, new in miss.edits:
        assert source.count(old) == 1, f"{miss.name}: the reference no longer has {old!r} once"
        source = source.replace(old, new)
    (tmp_path / exercise.filename).write_text(source)
    graded = run_checks(submission=tmp_path, exercises=[exercise]).exercises[exercise.id]
    assert graded.score < exercise.points
    failing = [c for c in graded.checks if not c.passed]
    target = "\n".join(c.message for c in failing if c.name.startswith(miss.check))
    assert target, f"{miss.check} passed; failing: {[c.name for c in failing]}"
    everything = "\n".join(c.message for c in failing)
    for words in miss.absent:
        assert words not in everything, f"{miss.name}: {words!r} said:\n{everything}"
    for words in miss.said:
        assert words in target, f"{miss.name}: {words!r} not said:\n{target}"

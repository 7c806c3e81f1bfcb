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
    NearMiss(  # padded 1 before and 2p - 1 after: lopsided, but not all on one side
        "pad_lopsided",
        "edge_filter",
        (
            (
                "padded = F.pad(image, (padding, padding, padding, padding))",
                "padded = F.pad(image, (min(padding, 1), 2 * padding - min(padding, 1)) * 2)",
            ),
        ),
        "convolve2d_padding[2]",
        ("all on one side", "only the height", "only the width"),
    ),
    NearMiss(  # all the padding after the image: reproduced by that F.pad
        "pad_after",
        "edge_filter",
        (
            (
                "padded = F.pad(image, (padding, padding, padding, padding))",
                "padded = F.pad(image, (0, 2 * padding, 0, 2 * padding))",
            ),
        ),
        "convolve2d_padding",
        ("in-place",),
        ("all on one side of each dimension (right and bottom)",),
    ),
    NearMiss(  # a border of ones: reproduced by that padding
        "pad_with_ones",
        "edge_filter",
        (
            (
                "padded = F.pad(image, (padding, padding, padding, padding))",
                "padded = F.pad(image, (padding, padding, padding, padding), value=1.0)",
            ),
        ),
        "convolve2d_padding",
        (),
        ("padded with ones",),
    ),
    NearMiss(  # a border of halves: no filling of the family gives it
        "pad_with_halves",
        "edge_filter",
        (
            (
                "padded = F.pad(image, (padding, padding, padding, padding))",
                "padded = F.pad(image, (padding, padding, padding, padding), value=0.5)",
            ),
        ),
        "convolve2d_padding",
        ("padded with", "on one side", "only the"),
    ),
    NearMiss(  # the product written back into the padded image: reproduced
        "product_in_place",
        "edge_filter",
        (("out[i, j] = (patch * kernel).sum()", "out[i, j] = patch.mul_(kernel).sum()"),),
        "convolve2d_matches_conv2d",
        (),
        ("written back into the padded image",),
    ),
    NearMiss(  # each product doubled, in place on a copy: no window reads another's product
        "product_doubled_in_place_on_a_copy",
        "edge_filter",
        (
            (
                "out[i, j] = (patch * kernel).sum()",
                "out[i, j] = patch.clone().mul_(2 * kernel).sum()",
            ),
        ),
        "convolve2d_matches_conv2d",
        ("written back", "in-place"),
    ),
    NearMiss(  # 'same' padding: fc's S = image_size fits the conv, whose padding is the mistake
        "same_padding",
        "layer_tweaks",
        (
            (
                "nn.Conv2d(1, num_filters, kernel_size, padding=1)",
                "nn.Conv2d(1, num_filters, kernel_size, padding=kernel_size // 2)",
            ),
            ("side = image_size + 2 - kernel_size + 1", "side = image_size"),
        ),
        "tinycnn_configurations",
        ("kernel_size is not used",),
    ),
    NearMiss(  # S without the padding, conv right: the slip of fc's formula, on every config
        "side_without_padding",
        "layer_tweaks",
        (("side = image_size + 2 - kernel_size + 1", "side = image_size - kernel_size + 1"),),
        "tinycnn_default_layers",
        (),
        ("the padding of 1 on each side is left out",),
    ),
    NearMiss(  # the batch means summed, divided by the samples: reproduced by the oracle
        "epoch_loss_divided_twice",
        "training_step",
        (("total_loss += loss.item() * len(labels)", "total_loss += loss.item()"),),
        "train_epoch_mean_loss",
        (),
        (
            "the sum of the batches' mean losses (loss.item(), already a mean) divided by the "
            "number of samples",
        ),
    ),
    NearMiss(  # the same, one sample more in the division: no sum and division gives it
        "epoch_loss_divided_by_one_more",
        "training_step",
        (
            ("total_loss += loss.item() * len(labels)", "total_loss += loss.item()"),
            ("return total_loss / seen,", "return total_loss / (seen + 1),"),
        ),
        "train_epoch_mean_loss",
        ("divided by the number of samples:", "divided by the batch size", "not divided"),
    ),
    NearMiss(  # fc1 of conv1's channels after one pooling: its count, fc1's inputs named
        "fc1_784",
        "count_parameters",
        (("linear_param_count(8 * 7 * 7, 64)", "linear_param_count(4 * 14 * 14, 64)"),),
        "simple_cnn_param_count",
        (),
        ("fc1 taking 784 inputs",),
    ),
    NearMiss(  # fc1's bias left out: the parts say it, not a size of fc1's inputs
        "fc1_bias_left_out",
        "count_parameters",
        (("linear_param_count(8 * 7 * 7, 64)", "linear_param_count(8 * 7 * 7, 64) - 64"),),
        "simple_cnn_param_count",
        ("fc1 taking",),
    ),
    NearMiss(  # TinyCNN(5): the 5 went to num_filters, reproduced by the reference's layers
        "kernel5_positional",
        "layer_tweaks",
        (('"kernel5": TinyCNN(kernel_size=5)', '"kernel5": TinyCNN(5)'),),
        "make_variants",
        (),
        ("TinyCNN(num_filters=5)",),
    ),
    NearMiss(  # a kernel of 4: no value of the config went to another parameter
        "kernel4",
        "layer_tweaks",
        (('"kernel5": TinyCNN(kernel_size=5)', '"kernel5": TinyCNN(kernel_size=4)'),),
        "make_variants",
        ("went to",),
    ),
    NearMiss(  # the number correct returned: reproduced by the oracle's epoch
        "epoch_accuracy_count",
        "training_step",
        (
            (
                "return total_loss / seen, 100.0 * correct / seen",
                "return total_loss / seen, correct",
            ),
        ),
        "train_epoch_accuracy",
        (),
        ("this is the number correct, not divided",),
    ),
    NearMiss(  # the number correct plus one: no sum and division gives it
        "epoch_accuracy_count_plus_one",
        "training_step",
        (
            (
                "return total_loss / seen, 100.0 * correct / seen",
                "return total_loss / seen, correct + 1.5",
            ),
        ),
        "train_epoch_accuracy",
        ("this is the",),
    ),
    NearMiss(  # the horizontal filter alone: reproduced
        "magnitude_horizontal_only",
        "edge_filter",
        (("return torch.sqrt(gh**2 + gv**2)", "return gh.abs()"),),
        "edge_magnitude",
        (),
        ("horizontal filter's response alone",),
    ),
    NearMiss(  # the horizontal filter, doubled: not one filter's response
        "magnitude_horizontal_doubled",
        "edge_filter",
        (("return torch.sqrt(gh**2 + gv**2)", "return 2 * gh.abs()"),),
        "edge_magnitude",
        ("response alone",),
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

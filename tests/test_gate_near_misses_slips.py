"""Near misses of the slips named by mechanism (docs/diagnosis.md, "Named by mechanism"): for
each, an edit of the reference that the slip reproduces (named) and one that resembles it but is
not it (silent). Held like tests/test_gate_near_misses.py, whose NearMiss and check they use."""

from __future__ import annotations

import pytest

from tests.test_gate_near_misses import NearMiss, check_near_miss

SLIP_NEAR_MISSES = [
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
        ("the side of a conv without the padding of 1 on each side",),
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
]


@pytest.mark.parametrize("miss", SLIP_NEAR_MISSES, ids=lambda m: f"{m.exercise}-{m.name}")
def test_a_slip_is_named_and_its_near_miss_is_not(miss, tmp_path):
    check_near_miss(miss, tmp_path)

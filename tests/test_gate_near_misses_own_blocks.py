"""A function built from the learner's other functions is read through them (the eighth and
ninth blind sets, bench/heldout30/ and heldout31/): when a building block is wrong on the calls
the function makes, the function's own causes are not said (a bias per conv instead of one per
channel made SimpleCNN's total 10 short, which was told "without fc2's bias"), and when the
blocks put together give the answer, that is said with the block that is wrong."""

from __future__ import annotations

import pytest

from tests.test_gate_near_misses import NearMiss, check_near_miss

OWN_BLOCKS = [
    NearMiss(  # one bias per conv: 3 + 7 short over the two convs, fc2's bias by coincidence
        "conv_one_bias",
        "count_parameters",
        (
            (
                "in_channels * kh * kw + (out_channels if bias else 0)",
                "in_channels * kh * kw + (1 if bias else 0)",
            ),
        ),
        "simple_cnn_param_count",
        ("without fc2's bias", "fc2 of 63 inputs", "conv1 of 3 output channels"),
        (
            "your total is exactly the sum of your own conv2d_param_count and "
            "linear_param_count over its four layers",
            "conv2d_param_count(1, 4, 3) gives 37, expected 40",
        ),
    ),
    NearMiss(  # conv2d_param_count ignores in_channels, and the total passes 1 for conv2's:
        # fixing conv2d_param_count alone leaves the total short
        "conv_ignores_in_channels_total_passes_one",
        "count_parameters",
        (
            (
                "return out_channels * in_channels * kh * kw",
                "return out_channels * kh * kw",
            ),
            ("conv2d_param_count(4, 8, 3)", "conv2d_param_count(1, 8, 3)"),
        ),
        "simple_cnn_param_count",
        ("fix that, and this follows.",),
        (
            "conv2d_param_count(4, 8, 3) gives 80, expected 296",
            "if your total calls conv2d_param_count(1, 4, 3) and conv2d_param_count(4, 8, 3) (",
        ),
    ),
    NearMiss(  # convolve2d never pads: edge_magnitude is right given it, not unpadded by itself
        "convolve2d_ignores_padding",
        "edge_filter",
        (
            (
                "padded = F.pad(image, (padding, padding, padding, padding))",
                "padded = image",
            ),
        ),
        "edge_magnitude",
        ("run on the unpadded image", "with padding=1 it keeps the image's size"),
        (
            "your edge_magnitude is exactly sqrt(gh**2 + gv**2) of your own convolve2d",
            "see convolve2d's own check",
        ),
    ),
    NearMiss(  # convolve2d never pads and edge_magnitude never asks it to: fixing convolve2d
        # alone does not fix edge_magnitude, and its answer cannot show whether it passes padding=1
        "convolve2d_ignores_padding_magnitude_unpadded",
        "edge_filter",
        (
            (
                "padded = F.pad(image, (padding, padding, padding, padding))",
                "padded = image",
            ),
            (
                "gh = convolve2d(image, horizontal_edge_filter(), padding=1)",
                "gh = convolve2d(image, horizontal_edge_filter())",
            ),
            (
                "gv = convolve2d(image, vertical_edge_filter(), padding=1)",
                "gv = convolve2d(image, vertical_edge_filter())",
            ),
        ),
        "edge_magnitude",
        ("fix that, and this follows.", "run on the unpadded image"),
        ("see convolve2d's own check", "if edge_magnitude passes padding=1"),
    ),
    NearMiss(  # the vertical filter copied from the horizontal one: edge_magnitude is right
        # given it (its horizontal response twice), so none of its own slips is said
        "vertical_filter_is_horizontal",
        "edge_filter",
        (
            (
                "return torch.tensor([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]])",
                "return torch.tensor([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]])",
            ),
        ),
        "edge_magnitude",
        ("filter's response alone", "the square root is missing"),
        ("vertical_edge_filter() is wrong",),
    ),
    NearMiss(  # the vertical filter copied from the horizontal one, and edge_magnitude using
        # the horizontal filter twice: fixing vertical_edge_filter alone changes nothing
        "vertical_filter_is_horizontal_used_twice",
        "edge_filter",
        (
            (
                "return torch.tensor([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]])",
                "return torch.tensor([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]])",
            ),
            (
                "gv = convolve2d(image, vertical_edge_filter(), padding=1)",
                "gv = convolve2d(image, horizontal_edge_filter(), padding=1)",
            ),
        ),
        "edge_magnitude",
        ("fix that, and this follows.",),
        ("vertical_edge_filter() is wrong", "if edge_magnitude uses vertical_edge_filter()"),
    ),
    NearMiss(  # predict one too big, used as confusion_matrix's index: not only a loop's slip
        "prediction_one_too_big_as_index",
        "evaluate",
        (
            ("return model(images).argmax(dim=1)", "return model(images).argmax(dim=1) + 1"),
            ("predictions = model(images).argmax(dim=1)", "predictions = predict(model, images)"),
        ),
        "confusion_matrix",
        (),
        ("a value used as an index (a label, a prediction) is one too big",),
    ),
]


@pytest.mark.parametrize("miss", OWN_BLOCKS, ids=lambda m: m.name)
def test_own_blocks_words(miss, tmp_path):
    check_near_miss(miss, tmp_path)


def test_no_block_wrong_keeps_the_functions_own_cause(tmp_path):
    # the blocks right: edge_magnitude's own slip (no square root) is still named
    check_near_miss(
        NearMiss(
            "no_sqrt",
            "edge_filter",
            (("return torch.sqrt(gh**2 + gv**2)", "return gh**2 + gv**2"),),
            "edge_magnitude",
            ("your own convolve2d",),
            ("the square root is missing",),
        ),
        tmp_path,
    )


def test_far_below_chance_is_not_said_to_be_chance():
    # (set 10) fit on labels + 1: 0.30 % of held-out digits right was told "about chance (10 %)"
    import torch

    from grader.workbook.catalog import exercise_by_id
    from grader.workbook.files import load_file

    inputs = load_file("set10_inputs", exercise_by_id("train_digits").folder / "inputs.py")
    scores = torch.randn(20, 10)
    _, low = inputs.diagnosis(scores, 0.3)
    assert "about chance" not in low and "far below chance" in low and "labels + 1" in low
    _, near = inputs.diagnosis(scores, 9.6)
    assert "about chance (10 %)" in near and "far below" not in near

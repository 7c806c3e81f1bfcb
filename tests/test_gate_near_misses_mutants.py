"""Wrong words found by reading the diagnoses of the references' mutants (exercises 01-04,
docs/mutation.md, "Diagnoses of the mutants: 01-04"), each closed by a mechanism and held here
by an edit of the reference that makes the mutant's values: the wrong words are absent, and
what the values prove is said."""

from __future__ import annotations

import pytest

from grader.checking.flatten_rows import explain_flatten
from grader.checking.submission import StudentError
from tests.test_gate_near_misses import NearMiss, check_near_miss
from tests.test_handout import handout  # noqa: F401, F811 - the fixture, built once per run

_DEFAULTS = "(self, num_filters=3, kernel_size=3, use_relu=True, extra_conv_filters=0,"
_CNN_COUNT = "    return (conv2d_param_count(1, 4, 3) + conv2d_param_count(4, 8, 3)"
_PATCH = "padded[i * stride : i * stride + kh, j * stride : j * stride + kw]"
_EDGE_ALONE = (
    "past the edge of the image. With",
    "past the edge of the image it is taken from. Two",
)

MUTANTS = [
    NearMiss(  # every patch a row short, its slice starting one on: not a window past the edge
        "patch_rows_start_one_on",  # (m0130)
        "edge_filter",
        ((_PATCH, _PATCH.replace("[i * stride :", "[i * stride + 1 :")),),
        "convolve2d_stride[2]",
        _EDGE_ALONE,
        ("or its slice is shorter than the kernel", "rows i * s to i * s + kh"),
    ),
    NearMiss(  # every patch a row long (its slice ending one on), with padding: not "fewer"
        "patch_rows_end_one_on",  # (m0132)
        "edge_filter",
        ((_PATCH, _PATCH.replace("i * stride + kh,", "i * stride + kh + 1,")),),
        "convolve2d_padding",
        ("fewer rows",),
        ("different numbers of rows", "rows i * stride to i * stride + kh"),
    ),
    NearMiss(  # every patch a column short, with stride and padding (m0137)
        "patch_columns_start_one_on",
        "edge_filter",
        ((_PATCH, _PATCH.replace("j * stride :", "j * stride + 1 :")),),
        "convolve2d_stride[3_padded]",
        _EDGE_ALONE,
        ("or its slice is shorter than the kernel", "F.pad(image, (p, p, p, p))"),
    ),
    NearMiss(  # the output made (out_w, out_h): the loop's index is the size, no off-by-one
        "output_sizes_swapped",  # (m0124)
        "edge_filter",
        (("torch.empty(out_h, out_w,", "torch.empty(out_w, out_h,"),),
        "convolve2d",
        ("an off-by-one",),
        ("its sizes in another order",),
    ),
    NearMiss(  # the output's rows from the width: with padding the size formula is said too
        "rows_from_the_width",  # (m0108)
        "edge_filter",
        (("out_h = (padded.shape[0] - kh)", "out_h = (padded.shape[1] - kh)"),),
        "convolve2d_padding",
        (),
        ("(size + 2 * padding - kernel) // stride + 1 output rows",),
    ),
    NearMiss(  # the + 1 made - 1: the unpadded side's number, said as that, no pad left out
        "side_plus_one_made_minus_one",  # (m0027)
        "layer_tweaks",
        (("side = image_size + 2 - kernel_size + 1", "side = image_size + 2 - kernel_size - 1"),),
        "tinycnn_default_layers",
        ("is left out",),
        ("the side of a conv without the padding of 1 on each side",),
    ),
    NearMiss(  # F.pad's arguments swapped: the tuple is the widths, not tensors to stack
        "pad_arguments_swapped",  # (m0094)
        "edge_filter",
        (
            (
                "F.pad(image, (padding, padding, padding, padding))",
                "F.pad((padding, padding, padding, padding), image)",
            ),
        ),
        "convolve2d",
        (),
        ("the arguments are in another order",),
    ),
    NearMiss(  # fc2 of 63 inputs: 10 values fewer, as many as fc2's bias (m0050): all said
        "fc2_of_63_inputs",
        "count_parameters",
        (("linear_param_count(64, 10))", "linear_param_count(63, 10))"),),
        "simple_cnn_param_count",
        ("is the total without fc2's bias.",),
        ("without fc2's bias; the same number is the total with", "fc2 of 63 inputs"),
    ),
    NearMiss(  # conv1 of 3 channels: 10 values fewer too (m0025)
        "conv1_of_3_channels",
        "count_parameters",
        ((_CNN_COUNT, _CNN_COUNT.replace("(1, 4, 3)", "(1, 3, 3)")),),
        "simple_cnn_param_count",
        ("is the total without fc2's bias.",),
        ("conv1 of 3 output channels",),
    ),
    NearMiss(  # conv2's kernel 2: no part explains its 160 fewer, nothing is said
        "conv2_kernel_two",
        "count_parameters",
        ((_CNN_COUNT, _CNN_COUNT.replace("(4, 8, 3)", "(4, 8, 2)")),),
        "simple_cnn_param_count",
        ("Likely mistake", "What the numbers show"),
    ),
    NearMiss(  # the convs' biases left out by a default: the learner's own conv2d_param_count
        # is wrong on the tutorial's convs, and their sum is the total (m0005)
        "conv_bias_default_false",
        "count_parameters",
        (("kernel_size, bias: bool = True)", "kernel_size, bias: bool = False)"),),
        "simple_cnn_param_count",
        ("without conv1's bias",),
        ("conv2d_param_count(1, 4, 3) gives 36, expected 40",),
    ),
    NearMiss(  # TinyCNN() with 2 filters by default: fc fits its conv, so fc is no mistake
        "default_two_filters",
        "layer_tweaks",
        ((_DEFAULTS, _DEFAULTS.replace("num_filters=3", "num_filters=2")),),
        "tinycnn_default_layers",
        ("fc must take", "conv is Conv2d"),
        ("layers of TinyCNN(num_filters=2)", "the default of num_filters is 2"),
    ),
    NearMiss(  # a kernel of 2 by default (m0003)
        "default_kernel_two",
        "layer_tweaks",
        ((_DEFAULTS, _DEFAULTS.replace("kernel_size=3", "kernel_size=2")),),
        "tinycnn_default_layers",
        ("fc must take", "conv is Conv2d"),
        ("the default of kernel_size is 2",),
    ),
    NearMiss(  # image_size 27 by default: the conv is the spec's, only fc differs (m0009)
        "default_image_27",
        "layer_tweaks",
        (("                 image_size=28):", "                 image_size=27):"),),
        "tinycnn_default_layers",
        (),
        ("the default of image_size is 27",),
    ),
    NearMiss(  # padding 0 everywhere: TinyCNN(num_filters=3) is wrong too, no default named
        "conv_padding_zero",
        "layer_tweaks",
        (("kernel_size, padding=1)\n        side", "kernel_size, padding=0)\n        side"),),
        "tinycnn_default_layers",
        ("the default of",),
        ("conv is Conv2d(1, num_filters, kernel_size, padding=1)",),
    ),
    NearMiss(  # fc of the unpadded side on every configuration: the slip, not a default
        "fc_side_unpadded",
        "layer_tweaks",
        (("side = image_size + 2 - kernel_size + 1", "side = image_size - kernel_size + 1"),),
        "tinycnn_default_layers",
        ("the default of",),
        ("the side of a conv without the padding of 1 on each side",),
    ),
]


@pytest.mark.parametrize("miss", MUTANTS, ids=lambda m: m.name)
def test_mutant_words_are_gone(miss, tmp_path):
    check_near_miss(miss, tmp_path)


def _hidden(error: str, batch: int) -> str:
    """The hidden words explain_flatten adds to a learner's error from a call on `batch`
    samples of SimpleCNN's (8, 7, 7) maps."""
    with pytest.raises(StudentError) as raised, explain_flatten(batch, (8, 7, 7)):
        raise StudentError(f"f raised RuntimeError: {error}", ("RuntimeError",), hidden="f")
    return raised.value.hidden_message


def test_a_hidden_check_says_the_flattening_the_numbers_proved():
    # no flatten in forward (m0093): (2, 8, 7, 7) reaches fc1 as 112 rows of 7
    said = _hidden("mat1 and mat2 shapes cannot be multiplied (112x7 and 392x64)", 2)
    assert "unflattened" in said and "fixed" not in said and "112" not in said
    # torch.flatten(x, 2) (m0097): 16 rows of 49
    said = _hidden("mat1 and mat2 shapes cannot be multiplied (16x49 and 392x64)", 2)
    assert "from dimension 2 on" in said and "fixed" not in said and "49" not in said
    # torch.flatten(x, 0) (m0090, m0096): the batch in a single row
    said = _hidden("mat1 and mat2 shapes cannot be multiplied (1x784 and 392x64)", 2)
    assert "a single row" in said and "fixed" not in said and "784" not in said
    # rows that are neither: a size was fixed, said as before
    said = _hidden("mat1 and mat2 shapes cannot be multiplied (2x980 and 392x64)", 5)
    assert "a size was fixed" in said and "980" not in said


@pytest.mark.slow
def test_a_handout_without_the_oracle_stays_silent_on_a_default(handout, tmp_path):  # noqa: F811
    """Without the oracle no default is named; the conv's words stay silent too, as the learner's
    own TinyCNN(num_filters=3, kernel_size=3) builds the spec's conv (m0001)."""
    from grader.workbook.catalog import exercise_by_id
    from grader.workbook.paths import SOLUTIONS_DIR
    from tests.test_handout import checked

    exercise = exercise_by_id("layer_tweaks")
    source = (SOLUTIONS_DIR / exercise.filename).read_text()
    assert source.count(_DEFAULTS) == 1
    (tmp_path / exercise.filename).write_text(
        source.replace(_DEFAULTS, _DEFAULTS.replace("num_filters=3", "num_filters=2"))
    )
    checks = checked(handout, tmp_path, "layer_tweaks")["exercises"]["layer_tweaks"]["checks"]
    said = next(c["message"] for c in checks if c["name"] == "tinycnn_default_layers")
    assert "conv has 2 output channels" in said
    assert "conv is Conv2d" not in said and "fc must take" not in said and "default" not in said

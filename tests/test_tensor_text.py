"""Tensors a person can read (grader/checking/tensor_text.py), and compare.py's messages built
from them."""

from __future__ import annotations

import re

import pytest
import torch
import torch.nn.functional as F

from grader.checking import tensor_text
from grader.checking.compare import CheckFailure, expect_tensor, show

_DECIMAL = re.compile(r"\d+\.\d+")


def _too_precise(text: str) -> list[str]:
    """The numbers of `text` written with more than 4 significant digits."""
    return [n for n in _DECIMAL.findall(text) if len(n.replace(".", "").lstrip("0")) > 4]


def _conv(image, kernel):
    return F.conv2d(image[None, None], kernel[None, None])[0, 0]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2.919452667236328, "2.919"),
        (-0.000123456, "-0.0001235"),
        (123456.0, "1.235e+05"),
        (-0.0, "0"),
        (-1e-9, "-1e-09"),
        (float("nan"), "nan"),
        (float("-inf"), "-inf"),
        (7, "7"),
        (True, "True"),
    ],
)
def test_numbers_have_four_significant_digits(value, text):
    assert tensor_text.number(value) == text


def test_an_input_is_its_shape_and_a_few_values_never_the_whole_random_tensor():
    torch.manual_seed(0)
    image = torch.randn(5, 5)
    text = show(image)
    values = image.flatten().tolist()
    assert text.startswith("(5, 5) float32 starting ")
    assert all(tensor_text.number(v) in text for v in values[:4])
    assert tensor_text.number(values[4]) not in text and text.endswith(", ...")
    assert show(image, 0) == "(5, 5) float32"
    # a 3x3 kernel is small enough to help whole
    kernel = torch.tensor([[1.0, 0.0, -1.0]] * 3)
    assert show(kernel) == "[[1, 0, -1], [1, 0, -1], [1, 0, -1]]"
    assert show(torch.tensor(2.5)) == "2.5"


def test_a_flipped_kernel_on_a_5x5_image_shows_both_grids_side_by_side():
    torch.manual_seed(1)
    image, kernel = torch.randn(5, 5), torch.randn(3, 3)
    expected, got = _conv(image, kernel), _conv(image, kernel.flip(0, 1))
    text = tensor_text.difference(got, expected, 1e-4, 1e-4)
    lines = text.splitlines()
    assert lines[0].startswith("9 of 9 values differ; the largest difference is ")
    assert lines[1].startswith("Expected (3, 3)") and "Got (all 9 differ)" in lines[1]
    assert len(lines) == 5 and tensor_text.MARK not in text  # all differ: no marks to read
    for row, want, have in zip(lines[2:], expected.tolist(), got.tolist()):
        cells = row.split()
        assert cells == [tensor_text.number(v) for v in want + have]
    assert not _too_precise(text) and _too_precise(str(expected.tolist()))


def test_only_the_differing_cells_are_marked_and_the_columns_stay_aligned():
    expected = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    got = expected.clone()
    got[0, 1], got[2, 3] = 100.0, -5.5
    text = tensor_text.difference(got, expected)
    assert "2 of 12 values differ" in text and "(expected 1, got 100)" in text
    assert "Got (* marks the 2 that differ)" in text
    rows = text.splitlines()[2:]
    assert [r.count(tensor_text.MARK) for r in rows] == [2, 0, 2]  # the cell in both grids
    assert "1* " in rows[0] and "100*" in rows[0] and "-5.5*" in rows[2]
    # every value of a column ends in the same place, marked or not
    ends = [[m.end() for m in re.finditer(r"[^\s*]+", row)] for row in rows]
    assert len(ends[0]) == 8 and ends[0] == ends[1] == ends[2]


def test_wide_grids_go_one_under_the_other():
    expected = torch.linspace(-3, 3, 8 * 12).reshape(8, 12)
    got = expected + 0.5
    lines = tensor_text.difference(got, expected).splitlines()
    assert lines[1] == "Expected (8, 12):" and lines[10] == "Got (all 96 differ):"
    assert all(line.startswith(tensor_text.GRID_INDENT) for line in lines[2:10] + lines[11:])
    assert len({len(line) for line in lines[2:10]}) == 1


def test_a_large_tensor_is_summarised_with_the_places_of_its_differences():
    expected = torch.zeros(28, 28)
    got = expected.clone()
    got[0, :] = 1.0  # the top row
    got[27, 27] = 3.0
    text = tensor_text.difference(got, expected)
    assert "29 of 784 values differ; the largest difference is 3 at [27, 27]" in text
    assert "Both are (28, 28) float32" in text
    assert "at [0, 0], [0, 1], [0, 2], [0, 3] and 25 more (rows 0, 27; columns 0-27)" in text
    assert len(text.splitlines()) == 2


def test_nan_differs_and_integers_stay_integers():
    got = torch.tensor([1.0, float("nan"), 3.0])
    text = tensor_text.difference(got, torch.tensor([1.0, 2.0, 3.0]))
    assert "1 of 3 values differ" in text and "nan*" in text
    ints = tensor_text.difference(torch.tensor([[1, 2], [3, 5]]), torch.tensor([[1, 2], [3, 4]]))
    assert "5*" in ints and "." not in ints.split("\n", 1)[1]


def test_leading_sizes_of_one_are_dropped_for_the_grid():
    assert tensor_text.fits(torch.zeros(1, 1, 3, 3))
    assert not tensor_text.fits(torch.zeros(2, 3, 3))
    assert not tensor_text.fits(torch.zeros(9, 3))
    assert tensor_text.grid(torch.tensor([1.0, 2.5])) == ["  1  2.5 "]


def test_expect_tensor_writes_the_readable_report():
    torch.manual_seed(2)
    image, kernel = torch.randn(5, 5), torch.randn(3, 3)
    with pytest.raises(CheckFailure) as failure:
        expect_tensor(
            _conv(image, kernel.flip(0, 1)),
            _conv(image, kernel),
            what="convolve2d",
            inputs=f"image {show(image)}, kernel {show(kernel)}",
        )
    message = failure.value.full()
    assert "Expected (3, 3)" in message and "Got (all 9 differ)" in message
    assert "Input: image (5, 5) float32 starting " in message
    assert not _too_precise(message), message

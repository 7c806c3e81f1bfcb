"""Checks for exercise 01: filters and convolution by hand. Oracle: the reference solution (through
`expected`: a handout replays its recorded values), and F.conv2d as a second, independent one."""

import pytest
import torch
import torch.nn.functional as F

from grader.checking.compare import expect_raises, expect_tensor, looks_like, show, when
from grader.checking.conv_slips import (
    magnitude_likely,
    own_edge_blocks,
    window_mistakes,
)
from grader.checking.own_blocks import ComposedMistake, guarded_by, same_tensor
from grader.checking.reproduce import reproduced

HORIZONTAL = [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]  # fixed by the spec, as the tests show them
VERTICAL = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]


def _conv(image, kernel, stride=1, padding=0):
    """What nn.Conv2d computes (cross-correlation), as a second, independent oracle."""
    return F.conv2d(image[None, None], kernel[None, None], stride=stride, padding=padding)[0, 0]


def _same(answer, candidate) -> bool:
    return answer.shape == candidate.shape and torch.allclose(answer, candidate, atol=1e-4)


def _inputs(image, kernel, stride=1, padding=0):
    return f"image {show(image)}, kernel {show(kernel)}, stride={stride}, padding={padding}"


def _conv_mistakes(image, kernel, stride, padding, oracle):
    return [
        looks_like(
            _conv(image, kernel.flip(0, 1), stride, padding),
            "the kernel is flipped. That is the textbook 'convolution'; nn.Conv2d (and "
            "this exercise) computes cross-correlation: multiply the patch by the kernel "
            "as it is, without flipping it.",
        ),
        # named on the values, not the shape alone: the answer is the unpadded (or stride-1)
        # convolution itself, so the padding (or stride) was ignored
        when(
            lambda a: padding and _same(a, _conv(image, kernel, stride, 0)),
            f"padding is ignored: with padding={padding} the image must first get {padding} "
            "row(s)/column(s) of zeros on every side.",
        ),
        when(
            lambda a: stride > 1 and _same(a, _conv(image, kernel, 1, padding)),
            f"stride is ignored: with stride={stride} the window moves {stride} pixels at a "
            "time, so the output is smaller.",
        ),
        when(
            lambda a: (
                a.shape == _conv(image.T, kernel.T, stride, padding).T.shape != image.shape
                and torch.allclose(a, _conv(image.T, kernel.T, stride, padding).T, atol=1e-4)
            ),
            "rows and columns are swapped somewhere: i indexes rows (height), j columns (width).",
        ),
        *window_mistakes(image, kernel, stride, padding, oracle and oracle.slips),
        reproduced(
            _conv,
            [image, kernel, stride, padding],
            ["image", "kernel", "stride", "padding"],
            what="convolve2d",
        ),
    ]


@pytest.mark.points(2)
@pytest.mark.public  # inputs and expected values fixed by the spec
@pytest.mark.parametrize(
    "name, values",
    [
        ("horizontal_edge_filter", HORIZONTAL),
        ("vertical_edge_filter", VERTICAL),
        ("laplacian_filter", [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
    ],
    ids=["horizontal", "vertical", "laplacian"],
)
def test_filter(submission, figures, name, values):
    expected = torch.tensor(values, dtype=torch.float32)
    got = submission.call(name).value
    figures.filter_on_digit(name, expected, got)
    expect_tensor(
        got,
        expected,
        what=f"{name}()",
        likely=[
            looks_like(expected.T, "rows and columns are swapped: this is the other edge filter."),
            looks_like(-expected, "the signs are reversed."),
            *(_laplacian_mistakes() if name == "laplacian_filter" else []),
            when(
                lambda a: a.dtype == torch.int64,
                "the result is an int64 tensor, not float32: torch.tensor([[1, ...]]) of "
                "Python ints makes int64; add dtype=torch.float32 or write the numbers as floats.",
            ),
        ],
    )


def _laplacian_mistakes():
    four = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    message = (
        "this is the 4-neighbour Laplacian (0 in the corners); the spec asks for the "
        "8-neighbour one: -1 everywhere and 8 in the centre."
    )
    return [looks_like(four, message), looks_like(-four, message)]


CASES = [  # (image size, kernel size) for seeded random inputs, plus fixed edge cases below
    ((5, 5), (3, 3)),
    ((6, 9), (3, 3)),
    ((7, 4), (2, 3)),
    ((4, 4), (1, 1)),
    ((3, 3), (3, 3)),
    ((8, 6), (3, 2)),
    ((10, 10), (5, 5)),
]


@pytest.mark.points(4)
def test_convolve2d_matches_conv2d(submission, reference, expected, figures, oracle):
    for image_size, kernel_size in CASES:
        image, kernel = torch.randn(image_size), torch.randn(kernel_size)
        want = expected("convolve2d", lambda: reference.convolve2d(image, kernel), image, kernel)
        assert torch.allclose(want, _conv(image, kernel), atol=1e-5)
        got = submission.convolve2d(image, kernel)
        figures.compare(f"convolve2d, a {image_size} image", want, got)
        expect_tensor(
            got,
            want,
            what="convolve2d",
            inputs=_inputs(image, kernel),
            atol=1e-4,
            rtol=1e-4,
            likely=_conv_mistakes(image, kernel, 1, 0, oracle),
        )


@pytest.mark.points(2)
@pytest.mark.parametrize("padding", [1, 2])
def test_convolve2d_padding(submission, reference, expected, figures, padding, oracle):
    # and a kernel larger than the image that fits the padded one: valid, it must not raise
    larger = {1: ((2, 2), (3, 3)), 2: ((1, 3), (5, 4))}[padding]
    for image_size, kernel_size in (((5, 6), (3, 3)), larger):
        image, kernel = torch.randn(image_size), torch.randn(kernel_size)
        want = expected(
            "convolve2d_padded",
            lambda: reference.convolve2d(image, kernel, padding=padding),
            image,
            kernel,
            padding,
        )
        got = submission.convolve2d(image, kernel, padding=padding)
        figures.compare(f"convolve2d of a {image_size} image with padding={padding}", want, got)
        expect_tensor(
            got,
            want,
            what=f"convolve2d with padding={padding}",
            inputs=_inputs(image, kernel, 1, padding),
            atol=1e-4,
            rtol=1e-4,
            likely=_conv_mistakes(image, kernel, 1, padding, oracle),
        )


@pytest.mark.points(2)
@pytest.mark.parametrize("stride, padding", [(2, 0), (3, 1)], ids=["2", "3_padded"])
def test_convolve2d_stride(submission, reference, expected, figures, stride, padding, oracle):
    image, kernel = torch.randn(9, 8), torch.randn(3, 3)
    want = expected(
        "convolve2d_strided",
        lambda: reference.convolve2d(image, kernel, stride=stride, padding=padding),
        image,
        kernel,
        stride,
        padding,
    )
    got = submission.convolve2d(image, kernel, stride=stride, padding=padding)
    figures.compare(f"convolve2d with stride={stride}, padding={padding}", want, got)
    expect_tensor(
        got,
        want,
        what=f"convolve2d with stride={stride}",
        inputs=_inputs(image, kernel, stride, padding),
        atol=1e-4,
        rtol=1e-4,
        likely=_conv_mistakes(image, kernel, stride, padding, oracle),
    )


@pytest.mark.points(1)
def test_convolve2d_leaves_inputs_unchanged(submission):
    image, kernel = torch.randn(6, 6), torch.randn(3, 3)
    call = submission.call("convolve2d", image.clone(), kernel.clone(), padding=1, return_args=True)
    for name, before, after in (
        ("image", image, call.args_after[0]),
        ("kernel", kernel, call.args_after[1]),
    ):
        expect_tensor(
            after,
            before,
            what=f"the caller's {name} after convolve2d",
            likely=[
                when(
                    lambda a: True,
                    f"your convolve2d modified its {name} argument in place (an in-place "
                    "operation such as +=, .mul_() or slice assignment on it). Work on a copy or a "
                    "new tensor.",
                )
            ],
        )


@pytest.mark.points(1)
@pytest.mark.public  # inputs and expected values fixed by the spec
@pytest.mark.parametrize(
    "cases, why",
    [
        ([((5, 6, 6), (3, 3), 0)], "a 3-D image"),
        ([((5, 5), (3,), 0)], "a 1-D kernel"),
        # a kernel that does not fit in one dimension only, either one: both sizes are checked
        (
            [((2, 2), (3, 3), 0), ((2, 6), (3, 3), 0), ((6, 2), (3, 3), 0)],
            "a kernel taller or wider than the image",
        ),
        (
            [((2, 2), (5, 5), 1), ((1, 6), (4, 2), 1), ((6, 1), (2, 4), 1)],
            "a kernel taller or wider than the padded image",
        ),
    ],
    ids=["3d_image", "1d_kernel", "kernel_too_big", "kernel_too_big_padded"],
)
def test_convolve2d_rejects_bad_input(submission, cases, why):
    for image_shape, kernel_shape, padding in cases:
        expect_raises(
            lambda: submission.convolve2d(
                torch.ones(image_shape), torch.ones(kernel_shape), padding=padding
            ),
            "ValueError",
            what=f"convolve2d given {why}",
            inputs=f"image of shape {image_shape}, kernel of shape {kernel_shape}, "
            f"padding={padding}",
        )


@pytest.mark.points(2)
def test_edge_magnitude(submission, reference, expected, figures, oracle):
    image = torch.zeros(8, 8)
    image[2:6, 3:7] = 1.0
    image += 0.1 * torch.randn(8, 8)
    want = expected("edge_magnitude", lambda: reference.edge_magnitude(image), image)
    gh_kernel = torch.tensor(HORIZONTAL, dtype=torch.float32)
    gv_kernel = torch.tensor(VERTICAL, dtype=torch.float32)
    gh, gv = _conv(image, gh_kernel, padding=1), _conv(image, gv_kernel, padding=1)
    kernels, responses = (gh_kernel, gv_kernel), (gh, gv)
    own = own_edge_blocks(submission, image, kernels, responses)
    got = submission.edge_magnitude(image)
    figures.compare("edge_magnitude of a noisy square", want, got)
    expect_tensor(
        got,
        want,
        what="edge_magnitude",
        inputs=f"an 8x8 square on a noisy background {show(image, 0)}",
        atol=1e-4,
        rtol=1e-4,
        likely=[
            ComposedMistake(own, same_tensor),
            *guarded_by(own, magnitude_likely(submission, image, kernels, responses, oracle)),
        ],
    )

"""A 2-D convolution by hand (cross-correlation, as nn.Conv2d) computed again with one slip of
the loop that learners write, each a `looks_like`: named only when the learner's tensor is
exactly what that slip computes. The slips: the image padded on other sides than p on each
(the width only, all on one side) or with other values than zeros (ones, its edge, a
reflection), a window that does not move by the stride, an output one row and one column short,
and a window product written back into the padded image (an in-place multiply on a slice, which
is a view), so that later windows overlap values already multiplied (a loop computed by the
exercise's oracle, `more=`: it holds the right loop, which a handout must not).

A slip whose values equal another's, or the right ones, is left out: it proves nothing."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from grader.checking.compare import Mistake, looks_like, when
from grader.checking.own_blocks import Block, OwnBlocks, same_tensor
from grader.checking.problems import SubmissionProblem
from grader.checking.reproduce import Unless

_SIDES = ("left", "right", "top", "bottom")  # F.pad's order for the last two dimensions


def conv(image: torch.Tensor, kernel: torch.Tensor, stride: int = 1, padding: int = 0):
    """What nn.Conv2d computes (cross-correlation), as an independent oracle."""
    return F.conv2d(image[None, None], kernel[None, None], stride=stride, padding=padding)[0, 0]


def _fits(image: torch.Tensor, kernel: torch.Tensor) -> bool:
    return all(k <= n for k, n in zip(kernel.shape, image.shape))


def _placements(padding: int) -> list[tuple[tuple[int, int, int, int], str]]:
    """Padding put elsewhere than p on every side, with what F.pad was given, in words."""
    p, two = padding, 2 * padding
    found = []
    for pads in ((0, two, 0, two), (two, 0, two, 0), (0, two, two, 0), (two, 0, 0, two)):
        sides = " and ".join(s for s, n in zip(_SIDES, pads) if n)
        found.append(
            (
                pads,
                f"the padding is all on one side of each dimension ({sides}): your values are "
                f"those of the image padded by F.pad(image, {pads}); F.pad(image, ({p}, {p}, "
                f"{p}, {p})) puts {p} on each side.",
            )
        )
    found.append(
        (
            (0, 0, p, p),
            f"only the height is padded: your values are those of F.pad(image, (0, 0, {p}, "
            f"{p})); F.pad(image, ({p}, {p}, {p}, {p})) pads the width and the height.",
        )
    )
    found.append(
        (
            (p, p, 0, 0),
            f"only the width is padded: F.pad(image, ({p}, {p})) pads the last dimension "
            f"alone; F.pad(image, (p, p, p, p)) pads the width and the height.",
        )
    )
    return found


def _fillings(image: torch.Tensor, padding: int) -> list[tuple[torch.Tensor, str]]:
    """The image padded by `padding` on every side with something else than zeros."""
    p, found = padding, []
    for what, kwargs in (
        ("ones", {"value": 1.0}),
        ("copies of the edge pixels (mode='replicate')", {"mode": "replicate"}),
        ("a reflection of the image (mode='reflect')", {"mode": "reflect"}),
    ):
        try:
            padded = F.pad(image[None, None], (p,) * 4, **kwargs)[0, 0]
        except (RuntimeError, ValueError, NotImplementedError):  # a reflection wider than it
            continue
        found.append(
            (
                padded,
                f"the border is padded with {what}, not zeros: your values are those of that "
                f"image; F.pad(image, ({p}, {p}, {p}, {p})) pads with zeros.",
            )
        )
    return found


def window_mistakes(image, kernel, stride: int = 1, padding: int = 0, more=None) -> list[Mistake]:
    """Each slip as a `looks_like`, when its values differ from the right ones and each other's.
    `more(image, kernel, stride, padding)`: further (values, words), from an exercise's oracle
    (a loop that computes a slip holds the right loop too, which a handout must not)."""
    expected = conv(image, kernel, stride, padding)
    found = _distinct(_candidates(image, kernel, stride, padding, more), expected)
    return [looks_like(values, words) for values, words in found]


def magnitude_mistakes(image, first, second, padding: int = 1, more=None) -> list[Mistake]:
    """sqrt(a**2 + b**2) of two convolutions (an edge magnitude) made with the same slip."""
    expected = (conv(image, first, 1, padding) ** 2 + conv(image, second, 1, padding) ** 2).sqrt()
    pairs = zip(
        _candidates(image, first, 1, padding, more), _candidates(image, second, 1, padding, more)
    )
    candidates = [
        ((a**2 + b**2).sqrt(), f"in the convolutions, {words[0].lower()}{words[1:]}")
        for (a, words), (b, _) in pairs
        if a.shape == b.shape
    ]
    return [looks_like(values, words) for values, words in _distinct(candidates, expected)]


def _candidates(image, kernel, stride: int, padding: int, more) -> list[tuple[torch.Tensor, str]]:
    expected = conv(image, kernel, stride, padding)
    candidates: list[tuple[torch.Tensor, str]] = []
    if padding:
        for pads, words in _placements(padding):
            padded = F.pad(image, pads)
            if _fits(padded, kernel):
                candidates.append((conv(padded, kernel, stride), words))
        for padded, words in _fillings(image, padding):
            candidates.append((conv(padded, kernel, stride), words))
    if stride > 1:
        rows, cols = expected.shape
        candidates.append(
            (
                conv(image, kernel, 1, padding)[:rows, :cols],
                f"the output has the right size but the window moves 1 pixel at a time: with "
                f"stride={stride} the patch for out[i, j] starts at row i * stride and column "
                "j * stride.",
            )
        )
    if not padding and min(expected.shape) > 1:
        # without padding only: padded on the top and left alone, one padding row short gives
        # these very values too
        candidates.append(
            (
                expected[:-1, :-1],
                "the output is one row and one column short: the size is "
                "(size + 2 * padding - kernel) // stride + 1, and the + 1 counts the first "
                "window.",
            )
        )
    if more is not None:
        candidates += more(image, kernel, stride, padding)
    return candidates


def _distinct(candidates, expected):
    """The candidates whose values neither the right answer nor another candidate has."""

    def same(a: torch.Tensor, b: torch.Tensor) -> bool:
        return a.shape == b.shape and torch.allclose(a, b, atol=1e-4, rtol=1e-4)

    kept = []
    for index, (values, words) in enumerate(candidates):
        others = [v for k, (v, _) in enumerate(candidates) if k != index]
        if not same(values, expected) and not any(same(values, v) for v in others):
            kept.append((values, words))
    return kept


def changes_its_image(submission, image: torch.Tensor, kernel: torch.Tensor) -> str:
    """Words when the learner's convolve2d changes the image it is given, else "": a rival to
    edge_magnitude's one-filter words, since its second filter then sees what the first left
    (a refusal proves nothing)."""
    try:
        call = submission.call("convolve2d", image.clone(), kernel, padding=1, return_args=True)
    except SubmissionProblem:
        return ""
    after = call.args_after[0]
    kept = type(after) is torch.Tensor and after.shape == image.shape and torch.equal(after, image)
    return "" if kept else "convolve2d changes its image argument"


def own_edge_blocks(submission, image: torch.Tensor, kernels, responses) -> OwnBlocks:
    """edge_magnitude's building blocks, the learner's own: its two filters and its convolve2d
    with the right filters and padding=1 (`kernels` and `responses`: the right ones)."""
    (h, v), (gh, gv) = kernels, responses

    def learners(kernel: torch.Tensor):
        return lambda: submission.convolve2d(image.clone(), kernel, padding=1)

    responses: list[torch.Tensor] = []  # the learner's filters through its convolve2d, once

    def own_responses(values) -> list[torch.Tensor]:
        if not responses:
            responses.extend(learners(kernel)() for kernel in values[:2])
        return responses

    def composed(values) -> torch.Tensor:
        a, b = own_responses(values)
        return (a.double() ** 2 + b.double() ** 2).sqrt()

    def unshown(values) -> str:
        """What the answer cannot show edge_magnitude does: padding=1, when the learner's
        convolve2d gives the same without it; each filter, when the two give one response."""
        padded, other = own_responses(values)
        parts = []
        if same_tensor(padded, submission.convolve2d(image.clone(), values[0])):
            parts.append(
                "edge_magnitude passes padding=1 (your convolve2d gives the same without it, "
                "so its answer cannot show whether it does)"
            )
        if same_tensor(padded, other):
            parts.append(
                "edge_magnitude uses vertical_edge_filter() for gv and horizontal_edge_filter() "
                "for gh (your two filters give the same response, so its answer cannot show "
                "which it uses)"
            )
        return " and if ".join(parts)

    return OwnBlocks(
        [
            Block("horizontal_edge_filter()", submission.horizontal_edge_filter, h, same_tensor),
            Block("vertical_edge_filter()", submission.vertical_edge_filter, v, same_tensor),
            Block(
                "convolve2d(image, the horizontal filter, padding=1)", learners(h), gh, same_tensor
            ),
            Block(
                "convolve2d(image, the vertical filter, padding=1)", learners(v), gv, same_tensor
            ),
        ],
        compose=composed,
        whole="your edge_magnitude",
        how="sqrt(gh**2 + gv**2) of your own convolve2d with your own filters (padding=1)",
        unshown=unshown,
    )


def magnitude_likely(submission, image: torch.Tensor, kernels, responses, oracle) -> list:
    """edge_magnitude's own slips, said only when its building blocks are right (`kernels` and
    `responses`: the right filters and what they give on `image` with padding=1)."""
    (gh_kernel, gv_kernel), (gh, gv) = kernels, responses
    return [
        looks_like(gh**2 + gv**2, "the square root is missing: sqrt(gh**2 + gv**2)."),
        looks_like(
            gh.abs() + gv.abs(), "this is |gh| + |gv|; the magnitude is sqrt(gh**2 + gv**2)."
        ),
        looks_like(  # the values, not their cause: a convolve2d that ignores padding or a
            # crop of the padded result gives them too
            (conv(image, gh_kernel) ** 2 + conv(image, gv_kernel) ** 2).sqrt(),
            "the output is the magnitude of the filters run on the unpadded image, (H-2, "
            "W-2): with padding=1 on all four sides it keeps the image's size.",
        ),
        *(  # one filter's response alone: the other filter left out, unless convolve2d
            # changes its image (the second filter then sees what the first call left)
            Unless(
                looks_like(
                    g.abs(),
                    f"this is the {which} filter's response alone (its absolute "
                    "value); the magnitude combines both: sqrt(gh**2 + gv**2).",
                ),
                lambda a: changes_its_image(submission, image, gh_kernel),
            )
            for which, g in (("horizontal", gh), ("vertical", gv))
        ),
        *magnitude_mistakes(image, gh_kernel, gv_kernel, 1, oracle and oracle.slips),
        when(  # only the shape: other values have other causes, so no cause is said
            lambda a: a.shape == (6, 6),
            "the output is (6, 6) for an (8, 8) image, 2 rows and 2 columns short: with "
            "padding=1 it keeps the image's size.",
        ),
    ]

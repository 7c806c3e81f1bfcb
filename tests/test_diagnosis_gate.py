"""The gate every listed mistake passes (grader.checking.compare._diagnose): a mistake judged by
value (looks_like) that the right answer satisfies too proves nothing and is not named; and a
reproduced change with a rival explanation of the same values (reproduce.Unless) leaves the
words to the rival."""

from __future__ import annotations

import pytest
import torch

from grader.checking.compare import CheckFailure, expect_tensor, expect_value, looks_like, when
from grader.checking.reproduce import Unless, reproduced

LAPLACIAN = torch.tensor([[-1.0, -1, -1], [-1, 8, -1], [-1, -1, -1]])


def _mistake(call) -> str:
    with pytest.raises(CheckFailure) as failure:
        call()
    return failure.value.mistake


def test_a_transposed_symmetric_kernel_is_not_named_for_a_dtype_slip():
    likely = [looks_like(LAPLACIAN.T, "rows and columns are swapped.")]
    said = _mistake(
        lambda: expect_tensor(LAPLACIAN.long(), LAPLACIAN, what="laplacian", likely=likely)
    )
    assert "swapped" not in said


def test_the_same_mistake_is_named_where_it_tells_the_answers_apart():
    kernel = torch.tensor([[1.0, 2, 3], [0, 0, 0], [-1, -2, -3]])
    likely = [looks_like(kernel.T, "rows and columns are swapped.")]
    said = _mistake(lambda: expect_tensor(kernel.T.clone(), kernel, what="k", likely=likely))
    assert said == "rows and columns are swapped."


def test_a_predicate_on_other_observations_is_not_gated():
    """`when` may rest on facts other than the answer (the caller's image changed): it is not
    asked of the right answer."""
    likely = [when(lambda _a: True, "the input was modified in place.")]
    assert _mistake(lambda: expect_value(7, 5, what="count", likely=likely)) != ""


def _linear(i: int, o: int, b: bool) -> int:
    return i * o + (o if b else 0)


def test_a_swap_with_a_rival_explanation_leaves_the_words_to_the_rival():
    def learner(i, o, b):  # a bias per input: also what the swapped arguments give
        return i * o + (i if b else 0)

    swap = reproduced(
        _linear,
        [392, 64, True],
        ["in_features", "out_features", "bias"],
        what="linear_param_count",
        confirm=learner,
        others=[(64, 10, True)],
    )
    answer = learner(392, 64, True)
    assert swap.matches(answer) and "swapped" in swap.message  # alone, it would be named
    assert not Unless(swap, lambda a: "the biases use in_features").matches(answer)
    assert Unless(swap, lambda a: "").matches(answer)  # no rival: named as before

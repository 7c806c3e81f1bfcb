"""Counts of parameters explained by a small exact search (grader/checking/anatomy_counts.py):
each explanation said on a number that it makes exactly, silent on a near miss (off by one, two
explanations of the same size), and the search bounded."""

from __future__ import annotations

import time

from torch import nn

from grader.checking.anatomy_counts import (
    MAX_CANDIDATES,
    Part,
    explain,
    explain_formula,
    pair_explainer,
    parts_of,
)


def simple_cnn_parts() -> list[Part]:
    layers = [nn.Conv2d(1, 4, 3), nn.Conv2d(4, 8, 3), nn.Linear(392, 64), nn.Linear(64, 10)]
    return parts_of(nn.ModuleDict(dict(zip(["conv1", "conv2", "fc1", "fc2"], layers))))[0]


def test_a_missing_layer_is_named_with_its_size():
    assert explain(26138 - 650, simple_cnn_parts()) == (
        "your count, 25,488, is the total without fc2's 650 parameters."
    )


def test_missing_biases_of_two_layers():
    assert explain(26138 - 4 - 8, simple_cnn_parts()) == (
        "your count, 26,126, is the total without conv1's bias and conv2's bias."
    )
    assert explain(26138 - 86, simple_cnn_parts()).endswith("without all the biases.")


def test_only_one_layer_is_counted():
    assert (
        explain(25152, simple_cnn_parts()) == "your count, 25,152, is only fc1's 25,152 parameters."
    )


def test_off_by_one_from_a_subset_sum_says_nothing():
    for number in (26138 - 650 + 1, 26138 - 12 - 1, 25153, 26137, 26139):
        assert explain(number, simple_cnn_parts()) == "", number


def test_an_ambiguous_sum_says_nothing():
    # two parts of 10: which one is missing cannot be told
    parts = [
        Part("a's weight", 30, "a", "weight"),
        Part("a's bias", 10, "a", "bias"),
        Part("b's weight", 50, "b", "weight"),
        Part("b's bias", 10, "b", "bias"),
    ]
    assert explain(90, parts) == ""
    # a whole layer of 10 and all the biases (10) fit alike
    parts = [
        Part("c's weight", 100, "c", "weight"),
        Part("c's bias", 4, "c", "bias"),
        Part("l's weight", 4, "l", "weight"),
        Part("l's bias", 6, "l", "bias"),
    ]
    assert explain(114 - 10, parts) == ""


def test_buffers_frozen_and_shared_parameters_counted():
    bn = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(4, 2))
    assert pair_explainer(bn)((139, 139)) == (
        "each of your two numbers, 139, is the right count, also counting the buffers "
        "(running_mean, running_var, num_batches_tracked)."
    )
    frozen = nn.Sequential(nn.Linear(10, 8), nn.ReLU(), nn.Linear(8, 3))
    frozen[0].requires_grad_(False)
    assert pair_explainer(frozen)((115, 115)) == (
        "your trainable count, 115, is the trainable count, also counting the frozen parameters."
    )
    assert pair_explainer(frozen)((27, 27)) == (
        "your total, 27, is the total without Linear 0's 88 parameters."
    )

    class TwoHeads(nn.Module):
        def __init__(self):
            super().__init__()
            self.head_a, self.head_b = nn.Linear(20, 6), nn.Linear(20, 6, bias=False)
            self.head_b.weight = self.head_a.weight

    assert pair_explainer(TwoHeads())((246, 246)).endswith(
        "also counting the shared head_b.weight a second time."
    )


def test_a_pair_swapped_is_left_to_the_comparison():
    frozen = nn.Sequential(nn.Linear(10, 8), nn.ReLU(), nn.Linear(8, 3))
    frozen[0].requires_grad_(False)
    assert pair_explainer(frozen)((27, 115)) == ""


def _conv(cin, cout, kh, kw, bias=True):
    names = ("in_channels", "out_channels", "kh", "kw")
    biases = {"the biases": ("out_channels",)}
    terms = {"the weights": names, **(biases if bias else {})}
    return dict(zip(names, (cin, cout, kh, kw))), terms, ({} if bias else biases)


def test_a_formula_with_one_change_is_named():
    assert explain_formula(4 * 8 * 9 + 4, *_conv(4, 8, 3, 3)) == (
        "your count, 292: the biases use in_channels where out_channels belongs."
    )
    assert explain_formula(8 * 9 + 8, *_conv(4, 8, 3, 3)) == (
        "your count, 80: in_channels is missing from the weights."
    )
    assert explain_formula(2 * 6 + 6, *_conv(2, 6, 1, 1, bias=False)) == (
        "your count, 18: the biases are counted although they should not be."
    )
    assert explain_formula(4 * 8 * 9 + 16, *_conv(4, 8, 3, 3)) == (
        "your count, 304: the biases are counted twice."
    )


def test_a_formula_silent_when_two_changes_fit_or_none():
    # in_channels is 1: a bias term of in_channels and a bias term of 1 give the same 37
    assert explain_formula(37, *_conv(1, 4, 3, 3)) == ""
    # in_channels equals kh: kh for kw and in_channels for kw give the same 448
    assert explain_formula(3 * 16 * 3 * 3 + 16, *_conv(3, 16, 3, 5)) == ""
    assert explain_formula(4 * 8 * 9 + 8 + 1, *_conv(4, 8, 3, 3)) == ""  # off by one
    assert explain_formula(4 * 8 * 9 + 8, *_conv(4, 8, 3, 3)) == ""  # right
    assert explain_formula(10**40, *_conv(4, 8, 3, 3)) == ""


def test_the_search_is_bounded():
    parts = [
        Part(f"p{i}", 1000 + 7 * i, f"g{i // 2}", "weight" if i % 2 else "bias") for i in range(38)
    ]
    started = time.process_time()
    explain(1, parts)  # no fit: every candidate is tried, up to the bound
    assert time.process_time() - started < 2.0
    assert MAX_CANDIDATES <= 10_000
    assert explain(5, [Part(f"p{i}", 1) for i in range(100)]) == ""  # too many parts: no claim


def test_a_formula_change_is_said_only_when_the_learners_other_counts_show_it_too():
    def conv(cin, cout, k, bias=True):
        return _conv(cin, cout, k, k, bias=bias)

    words = "the biases use in_channels where out_channels belongs"
    assert words in explain_formula(292, *conv(4, 8, 3))  # one count: said alone
    with_in = [(6 * 2 * 9 + 2, *conv(2, 6, 3))]  # the learner's (2, 6, 3): biases of in_channels
    other = [(6 * 2 * 9 + 1, *conv(2, 6, 3))]  # the learner's (2, 6, 3): another slip
    same = [(3 * 3 * 9 + 3, *conv(3, 3, 3))]  # in == out: this case tells nothing apart
    assert words in explain_formula(292, *conv(4, 8, 3), others=with_in)
    assert explain_formula(292, *conv(4, 8, 3), others=other) == ""
    assert explain_formula(292, *conv(4, 8, 3), others=same) == ""
    assert explain_formula(292, *conv(4, 8, 3), others=[(None, *conv(2, 6, 3))]) == ""
    assert explain_formula(292, *conv(4, 8, 3), others=[]) == ""
    assert explain_formula(292, *conv(4, 8, 3), others=with_in + other) == ""  # one contradicts

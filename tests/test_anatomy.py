"""The anatomy of tensor differences (grader.checking.anatomy): every pattern is said on a value
that satisfies it, and nothing is said on one that only resembles it; random tensors never get a
pattern; hostile values never raise and cost little."""

from __future__ import annotations

import time

import pytest
import torch
import torch.nn.functional as F

from grader.checking.anatomy import MAX_ELEMENTS, explain, explain_dtype
from grader.checking.compare import CheckFailure, expect_tensor, looks_like

TOL = {"rtol": 1.3e-6, "atol": 1e-5}  # expect_tensor's defaults
E = torch.arange(1.0, 26.0).reshape(5, 5) / 7 + torch.linspace(0, 0.3, 25).reshape(5, 5) ** 2


def _said(actual, expected=E, facts=None) -> str:
    found = explain(actual, expected, facts=facts, **TOL)
    return found.text if found else ""


def _one_cell_off(tensor: torch.Tensor, index=(2, 2), by: float = 0.5) -> torch.Tensor:
    changed = tensor.clone()
    changed[index] += by
    return changed


def _shift_down_zero(e: torch.Tensor) -> torch.Tensor:
    return torch.cat([torch.zeros(1, e.shape[1]), e[:-1]])


def _ring(value: float) -> torch.Tensor:
    return F.pad(torch.zeros(3, 3), (1, 1, 1, 1), value=value)


# (name, the learner's tensor, words the sentence must hold, a look-alike that must stay silent)
PATTERNS = [
    ("flip_lr", E.flip(-1), "flipped left to right", _one_cell_off(E.flip(-1))),
    ("flip_ud", E.flip(-2), "flipped upside down", _one_cell_off(E.flip(-2))),
    ("rot180", E.flip(-1, -2), "rotated by 180 degrees", _one_cell_off(E.flip(-1, -2))),
    ("transposed", E.T, "transposed", _one_cell_off(E.T)),
    ("rot90", torch.rot90(E, 1), "90 degrees counterclockwise", _one_cell_off(torch.rot90(E))),
    ("rot270", torch.rot90(E, -1), "90 degrees clockwise", _one_cell_off(torch.rot90(E, -1))),
    ("roll", torch.roll(E, 1, 0), "shifted down by 1 row, wrapping", _one_cell_off(E.roll(1, 0))),
    ("shift_zero", _shift_down_zero(E), "down by 1 row, with zeros in the top row", None),
    ("shift_left2", F.pad(E[:, 2:], (0, 2)), "left by 2 columns, with zeros in the right", None),
    ("border_only", E + _ring(1.0), "only values on the border", _one_cell_off(E + _ring(1.0))),
    ("inside_only", E + 1 - _ring(1.0), "only values inside the border", None),
    ("twice", 2 * E, "twice the expected", _one_cell_off(2 * E)),
    ("half", E / 2, "half the expected", _one_cell_off(E / 2, by=0.01)),
    ("factor", E * 3.7, "times 3.7", _one_cell_off(E * 3.7, by=0.001)),
    ("divided_by_3", E / 3, "divided by 3", _one_cell_off(E / 3, by=0.001)),
    ("offset", E + 0.25, "plus 0.25 everywhere", _one_cell_off(E + 0.25, by=0.001)),
    ("sign", -E, "every sign flipped", _one_cell_off(-E)),
    ("zeros", torch.zeros(5, 5), "all of your values are 0", _one_cell_off(torch.zeros(5, 5))),
    ("constant", torch.full((5, 5), 0.5), "all of your values are 0.5", None),
    ("all_nan", torch.full((5, 5), float("nan")), "all of your values are NaN", None),
    ("softmax", E.softmax(-1), "softmax of the expected", E.softmax(-1) * 0.98),
    ("log_softmax", E.log_softmax(-1), "log_softmax", E.log_softmax(-1) + _ring(0.01)),
    ("missing_top_row", E[1:], "the top row is missing", _one_cell_off(E[1:])),
    ("extra_right_column", F.pad(E, (0, 1)), "an extra column at the right", None),
    ("no_border", E[1:-1, 1:-1], "without its border", _one_cell_off(E[1:-1, 1:-1], (1, 1))),
    ("extra_border", F.pad(E, (1, 1, 1, 1)), "with an extra border", None),
    ("size_one", E[None], "an extra dimension of size 1", _one_cell_off(E, (2, 2))[None]),
    ("squared", E**2, "the expected one squared", _one_cell_off(E**2, by=0.01)),
    ("square_root", E.sqrt(), "square root of the expected", _one_cell_off(E.sqrt(), by=0.01)),
    ("reshaped", E.reshape(25), "reshaped to (25,)", _one_cell_off(E).reshape(25)),
]


@pytest.mark.parametrize("name, actual, words, lookalike", PATTERNS, ids=[p[0] for p in PATTERNS])
def test_each_pattern_is_said_when_proven_and_not_on_a_lookalike(name, actual, words, lookalike):
    assert words in _said(actual), (name, _said(actual))
    if lookalike is not None:
        assert words not in _said(lookalike), (name, _said(lookalike))


def test_near_misses_say_nothing_at_all():
    shifted_wrong_edge = torch.cat([torch.ones(1, 5), E[:-1]])  # not zeros, not wrapped
    border_and_one_inside = E + _ring(1.0)
    border_and_one_inside[2, 2] += 1
    for lookalike in (
        _one_cell_off(E.flip(-1)),
        _one_cell_off(2 * E),
        E.softmax(-1) * 0.98,  # rows that sum to 0.98
        shifted_wrong_edge,
        border_and_one_inside,
        _one_cell_off(E.T),
        _one_cell_off(E[1:]),
        _one_cell_off(-E),
    ):
        assert _said(lookalike) == "", _said(lookalike)


def test_rounding_is_named_only_by_the_rounding_that_reproduces_it():
    e = torch.tensor([[1.2, -1.7, 2.5], [3.9, -0.4, 0.6]])
    assert "rounded down (floor)" in _said(e.floor(), e)
    assert "truncated toward zero" in _said(e.trunc(), e)
    assert "rounded to the nearest" in _said(e.round(), e)
    assert "rounded up (ceil)" in _said(e.ceil(), e)
    floor_but_one = e.floor()
    floor_but_one[0, 0] += 1  # whole numbers still, but no rounding gives them
    assert "floor" not in _said(floor_but_one, e)
    assert "whole numbers" in _said(floor_but_one, e)
    positive = torch.tensor([[1.2, 2.7], [0.4, 3.5]])  # floor and truncation agree here
    assert "floor" in _said(positive.floor(), positive)
    assert "gives the same" in _said(positive.floor(), positive)


def test_factors_from_the_checks_facts_are_named():
    facts = {"batch size": 4, "number of batches": 3}
    assert "divided by the batch size (4)" in _said(E / 4, facts=facts)
    assert "divided by the number of batches (3)" in _said(E / 3, facts=facts)
    assert "times the batch size (4)" in _said(E * 4, facts=facts)
    assert _said(_one_cell_off(E / 4, by=0.01), facts=facts) == ""


def test_nan_and_inf_are_placed():
    with_nan = E.clone()
    with_nan[1, 3] = float("nan")
    assert _said(with_nan) == "your tensor has NaN at [1, 3]."
    with_inf = E.clone()
    with_inf[0, 0] = float("inf")
    assert "inf at [0, 0]" in _said(with_inf)


def test_permuted_dimensions_name_the_order():
    e = torch.randn(2, 3, 4, 5, generator=torch.Generator().manual_seed(1))
    assert "expected.permute(0, 2, 3, 1)" in _said(e.permute(0, 2, 3, 1).contiguous(), e)
    nearly = e.permute(0, 2, 3, 1).contiguous()
    nearly[0, 0, 0, 0] += 1
    assert _said(nearly, e) == ""
    wide = torch.randn(3, 7, generator=torch.Generator().manual_seed(2))
    assert "transposed" in _said(wide.T, wide)


def test_the_right_values_in_the_wrong_dtype():
    found = explain_dtype(E.double(), E, **TOL)
    assert found and "only the dtype differs" in found.text
    assert explain_dtype(_one_cell_off(E).double(), E, **TOL) is None
    found = explain_dtype((E * 3).long(), E * 3, **TOL)
    assert found and "truncated toward zero" in found.text


def test_random_tensors_never_get_a_pattern():
    generator = torch.Generator().manual_seed(23)
    said = []
    for case in range(600):
        dims = int(torch.randint(0, 5, (1,), generator=generator))
        shape = tuple(int(s) for s in torch.randint(1, 7, (dims,), generator=generator))
        expected = torch.randn(shape, generator=generator)
        if case % 3 == 0 and dims:  # a different shape too: one size changed by one
            other = list(shape)
            other[-1] += 1 if case % 2 else (-1 if other[-1] > 1 else 1)
            shape = tuple(other)
        actual = torch.randn(shape, generator=generator) * float(
            torch.rand(1, generator=generator) * 3
        )
        text = _said(actual, expected, facts={"batch size": 4})
        if text:
            said.append((shape, text))
    assert said == []


HOSTILE = [
    torch.tensor(3.0),
    torch.zeros(0),
    torch.zeros(5, 0),
    torch.ones(5, 5, dtype=torch.complex64),
    torch.ones(5, 5, dtype=torch.bool),
    torch.full((5, 5), 1e308, dtype=torch.float64),
    torch.full((5, 5), -(2**63), dtype=torch.int64),
    torch.full((5, 5), float("-inf")),
    torch.ones(5, 5, dtype=torch.float16),
    torch.ones(5, 5, dtype=torch.bfloat16),
    torch.ones(5, 5, requires_grad=True),
    torch.randn(5, 10)[:, ::2],
    torch.randn(1, 1, 1, 1, 1, 1, 1, 5, 5),
    torch.nn.Parameter(E.clone()),
    [[1.0] * 5] * 5,
    None,
    "a string",
]


@pytest.mark.parametrize("actual", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_never_raise(actual):
    for expected in (E, torch.tensor(2.0), torch.zeros(0), torch.full((5, 5), float("nan"))):
        explain(actual, expected, facts={"batch size": float("nan")}, **TOL)
        explain_dtype(actual, expected, **TOL)


def _cpu_seconds(actual, expected) -> float:
    start = time.process_time()
    explain(actual, expected, **TOL)
    return time.process_time() - start


def test_the_work_is_bounded():
    """A million values: nothing is tried (MAX_ELEMENTS); at the bound, the random case."""
    huge = torch.randn(1000, 1000)
    assert _cpu_seconds(huge.flip(-1), huge) < 0.05
    side = int(MAX_ELEMENTS**0.5)
    at_bound = torch.randn(side, side)
    assert explain(at_bound.flip(-1), at_bound, **TOL) is not None  # still said at the bound
    costs = sorted(_cpu_seconds(torch.randn(side, side), at_bound) for _ in range(5))
    assert costs[2] < 0.05, costs  # CPU seconds: measured 1-2 ms at a load of 28 on 2 cores


def test_expect_tensor_adds_the_line_after_the_likely_mistake():
    with pytest.raises(CheckFailure) as raised:
        expect_tensor(E.flip(-1), E, what="out", likely=[looks_like(E.flip(-1), "kernel flipped")])
    message = raised.value.full()
    assert message.index("Likely mistake: kernel flipped") < message.index(
        "What the numbers show: your tensor equals the expected one flipped left to right."
    )
    with pytest.raises(CheckFailure) as raised:
        expect_tensor(E + 0.25, E, what="out")
    assert "plus 0.25" in raised.value.full()
    assert "What the numbers show" not in raised.value.redacted()  # quotes a value: not hidden
    with pytest.raises(CheckFailure) as raised:
        expect_tensor(E[1:], E, what="out")
    assert "the top row is missing" in raised.value.redacted()
    with pytest.raises(CheckFailure) as raised:
        expect_tensor(torch.randn(5, 5), E, what="out")
    assert "What the numbers show" not in raised.value.full()


def test_a_state_names_the_pattern_of_the_change_from_before():
    from grader.checking.compare_state import expect_state

    before = {"w": E.clone(), "b": torch.ones(3)}
    want = {"w": E - 0.1 * E.flip(-1), "b": torch.ones(3) - 0.1}
    flipped = {"w": E + 0.1 * E.flip(-1), "b": torch.ones(3) + 0.1}
    with pytest.raises(CheckFailure) as raised:
        expect_state(flipped, want, what="after the step", before=before)
    assert "your change to w equals the expected change with every sign flipped" in str(
        raised.value
    )
    no_lr = {"w": E - E.flip(-1), "b": torch.ones(3) - 1}
    with pytest.raises(CheckFailure) as raised:
        expect_state(no_lr, want, what="after", before=before, facts={"learning rate": 0.1})
    assert "the expected change divided by the learning rate (0.1)" in str(raised.value)
    almost = {"w": _one_cell_off(flipped["w"], by=0.01), "b": torch.ones(3) + 0.2}
    with pytest.raises(CheckFailure) as raised:
        expect_state(almost, want, what="after", before=before)
    assert "What the numbers show" not in str(raised.value)


def test_a_line_is_said_only_when_three_values_prove_it():
    assert "times 0.3081 plus 0.1307" in _said(E * 0.3081 + 0.1307)
    assert _said(_one_cell_off(E * 0.3081 + 0.1307, by=0.001)) == ""
    two_values = torch.tensor([[1.0, 2.0], [2.0, 1.0]])  # any two values fit a line
    assert _said(torch.tensor([[5.0, 3.0], [3.0, 5.0]]), two_values) == ""


def test_relu_and_abs_of_the_expected_values():
    centred = E - 2  # negative and positive values
    assert "negative values set to 0" in _said(centred.relu(), centred)
    assert "made positive (abs)" in _said(centred.abs(), centred)
    assert _said(_one_cell_off(centred.relu(), (0, 0), by=0.01), centred) == ""


def test_every_second_row_and_column_is_a_missing_stride():
    full = torch.randn(7, 6, generator=torch.Generator().manual_seed(3))
    assert "every 2nd row and column of yours" in _said(full, full[::2, ::2])
    assert _said(_one_cell_off(full, (0, 0)), full[::2, ::2]) == ""


def test_a_hidden_check_shows_no_shape_or_value_the_sentence_quotes():
    with pytest.raises(CheckFailure) as raised:
        expect_tensor(E.reshape(25), E, what="out")
    assert "reshaped to (25,) instead of (5, 5)" in raised.value.full()
    assert "(5, 5)" not in raised.value.redacted()


def test_a_line_with_a_large_factor_or_shift_is_not_said():
    assert _said(E * 21.83 - 2216) == ""  # 04's model outputs fit such lines: nothing to act on

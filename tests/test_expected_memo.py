"""Expected values computed once per grading process (grader/checking/expected_memo.py): reused
only for the same scope, name, inputs and random states, as copies, and never when computing
changed something a later computation would see."""

from __future__ import annotations

import random

import numpy as np
import torch

from grader.checking import expected_memo
from grader.checking.expected import COMPUTE, Expected

SCOPE = ("checks/01/check.py", b"key")


def counted(value_of):
    calls = []

    def compute():
        calls.append(1)
        return value_of()

    return compute, calls


def test_the_same_inputs_and_states_compute_once_and_each_use_gets_a_copy():
    compute, calls = counted(lambda: {"w": torch.arange(4.0), "n": [1, 2]})
    inputs = (torch.ones(3), 2)
    first = expected_memo.computed_once(SCOPE, "memo-a", compute, inputs)
    first["w"].add_(100)  # a check that changes what it was given changes nothing kept
    again = expected_memo.computed_once(SCOPE, "memo-a", compute, (torch.ones(3), 2))
    assert len(calls) == 1
    assert torch.equal(again["w"], torch.arange(4.0)) and again["n"] == [1, 2]
    again["n"].append(3)
    assert expected_memo.computed_once(SCOPE, "memo-a", compute, inputs)["n"] == [1, 2]


def test_other_inputs_scope_name_or_random_state_compute_again():
    compute, calls = counted(lambda: torch.rand(2))
    expected_memo.computed_once(SCOPE, "memo-b", compute, (1,))
    expected_memo.computed_once(SCOPE, "memo-b", compute, (2,))
    expected_memo.computed_once(("checks/01/check.py", b"other key"), "memo-b", compute, (1,))
    expected_memo.computed_once(SCOPE, "memo-c", compute, (1,))
    torch.manual_seed(12345)
    expected_memo.computed_once(SCOPE, "memo-b", compute, (1,))
    np.random.seed(7)
    expected_memo.computed_once(SCOPE, "memo-b", compute, (1,))
    assert len(calls) == 6


def test_a_computation_that_draws_from_numpy_or_python_or_changes_its_inputs_is_not_kept():
    for name, side_effect in [
        ("memo-numpy", lambda inputs: np.random.rand()),
        ("memo-python", lambda inputs: random.random()),
        ("memo-inputs", lambda inputs: inputs[0].add_(1)),
    ]:
        inputs = (torch.zeros(2),)
        compute, calls = counted(lambda inputs=inputs, side_effect=side_effect: side_effect(inputs))
        np.random.seed(1)
        random.seed(1)
        expected_memo.computed_once(SCOPE, name, compute, inputs)
        np.random.seed(1)
        random.seed(1)
        inputs[0].zero_()
        expected_memo.computed_once(SCOPE, name, compute, inputs)
        assert len(calls) == 2, name


def test_anything_but_plain_data_is_computed_every_time():
    model = torch.nn.Linear(2, 2)
    for name, inputs, value in [
        ("memo-module-input", (model,), 1),
        ("memo-grad-input", (torch.ones(2, requires_grad=True),), 1),
        ("memo-module-value", (1,), model),
    ]:
        compute, calls = counted(lambda value=value: value)
        expected_memo.computed_once(SCOPE, name, compute, inputs)
        expected_memo.computed_once(SCOPE, name, compute, inputs)
        assert len(calls) == 2, name


def test_expected_reuses_only_with_a_scope_and_restores_torch_state_either_way():
    compute, calls = counted(lambda: torch.rand(3))
    plain = Expected(COMPUTE)
    plain.optional("memo-d", compute, 1)
    plain.optional("memo-d", compute, 1)
    assert len(calls) == 2
    scoped = Expected(COMPUTE, scope=SCOPE)
    torch.manual_seed(3)
    first = scoped.optional("memo-d", compute, 1)
    after_first = torch.rand(1)
    torch.manual_seed(3)
    second = scoped.optional("memo-d", compute, 1)
    assert len(calls) == 3 and torch.equal(first, second)
    assert torch.equal(torch.rand(1), after_first)  # the same draws after a reuse

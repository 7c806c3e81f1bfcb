"""Judging a model's state (a dict {name: tensor}, as a driver sends it back) against the
expected one: which tensors differ, the first of them shown, and the mistakes whose states match."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch

from grader.checking import anatomy
from grader.checking.compare import CheckFailure, Mistake, expect_tensor, fail

# An in-place update of a parameter outside torch.no_grad(), in the words a learner needs
NO_GRAD_NEEDED = {
    "leaf Variable that requires grad": "autograd refuses to record an in-place change of a "
    "parameter: do the update inside `with torch.no_grad():` (or decorate the function with "
    "@torch.no_grad()).",
}


def same_state(actual: Any, expected: dict) -> bool:
    """`actual` holds the tensors of `expected` under the same names, equal within 1e-5."""
    return (
        isinstance(actual, dict)
        and actual.keys() == expected.keys()
        and all(
            type(actual[k]) is torch.Tensor
            and actual[k].shape == expected[k].shape
            and torch.allclose(actual[k], expected[k], atol=1e-5, rtol=1e-4)
            for k in expected
        )
    )


def expect_state(
    actual: Any,
    expected: dict,
    *,
    what: str,
    likely: Iterable[Mistake] = (),
    before: dict | None = None,
    facts: dict | None = None,
) -> None:
    """Every tensor of `expected` in `actual`; the message names those that differ, and shows
    the first. Given the state `before` an update, what the numbers show is said of the change
    (the learner's update against the expected one) when it proves a pattern."""
    if not isinstance(actual, dict):
        fail(f"{what}: the model's state could not be read back.")
    differ = [n for n in expected if not same_state({n: actual.get(n)}, {n: expected[n]})]
    if not differ:
        return
    first = expected[differ[0]]
    try:
        expect_tensor(
            actual.get(differ[0]),
            expected[differ[0]],
            what=differ[0],
            atol=1e-5,
            rtol=1e-4,
            # each mistake judges whole states: the learner's, and (for the gate in
            # compare._diagnose) the expected one
            likely=[
                Mistake(
                    lambda a, m=m: m.matches(expected if a is first else actual),
                    m.message,
                    getattr(m, "by_value", False),
                )
                for m in likely
            ],
        )
    except CheckFailure as failure:
        named = ", ".join(differ[:6]) + (", ..." if len(differ) > 6 else "")
        fail(
            f"{what}: {len(differ)} of {len(expected)} tensors are wrong ({named}).",
            f"{failure.headline}\n{failure.details}",
            failure.mistake,
            _change(actual, expected, before, differ[0], facts) or failure.shows,
        )


def _change(actual: dict, expected: dict, before: dict | None, name: str, facts) -> Any:
    """The anatomy of the learner's change to `name` against the expected change, or None."""
    start, got = (before or {}).get(name), actual.get(name)
    if type(start) is not torch.Tensor or type(got) is not torch.Tensor:
        return None
    if got.shape != start.shape or got.dtype != start.dtype:
        return None
    found = anatomy.explain(got - start, expected[name] - start, rtol=1e-4, atol=1e-5, facts=facts)
    if found is None or not found.text.startswith("your tensor equals"):
        return None  # said of the change only when it is the expected change moved or scaled
    text = found.text.replace("your tensor", f"your change to {name}", 1)
    return anatomy.Finding(
        text.replace("the expected one", "the expected change"), found.carries_value
    )

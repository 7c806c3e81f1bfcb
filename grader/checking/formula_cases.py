"""A layer's parameter count as a formula (anatomy_counts.explain_formula's terms), and the
learner's count on the check's other cases, for a change one count suggests to be confirmed on
another (a single number is matched by unrelated slips too easily)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from grader.checking.problems import SubmissionProblem


def layer_terms(names: Sequence[str], sizes: Sequence[int], bias: bool) -> tuple:
    """(factors, terms, absent terms): the weights (a product of every size) and the biases (one
    per output, `names[1]`), which are counted only with bias=True."""
    biases = {"the biases": (names[1],)}
    return (
        dict(zip(names, sizes)),
        {"the weights": tuple(names), **(biases if bias else {})},
        ({} if bias else biases),
    )


def elsewhere(
    count: Callable[..., Any], case: tuple, cases: Sequence[tuple], terms: Callable[..., tuple]
) -> Iterator[tuple]:
    """(the learner's count, factors, terms, absent) for each other case, `count(*sizes,
    bias=bias)` called lazily; a count the learner's code refuses is None (it confirms nothing)."""
    for other in cases:
        if other == case:
            continue
        *sizes, bias = other
        try:
            number = count(*sizes, bias=bias)
        except SubmissionProblem:
            number = None
        yield number, *terms(*other)

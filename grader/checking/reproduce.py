"""Mistakes found by reproducing them: the correct function, called again with one of its inputs
changed the way code commonly mishandles it (a tensor transposed, flipped, rotated or negated; a
number one more, one less or zero; a flag negated; two inputs of the same kind swapped). When
exactly one such change gives the learner's answer, and the answer differs from the correct one,
that change is named: the check has reproduced the answer, so the sentence is proven, not guessed.

Nothing here knows an exercise: a check passes the correct function (the reference, or a trusted
formula) and the inputs it used. The candidates are computed only when an answer is wrong."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

from grader.checking.compare import _close

MAX_CANDIDATES = 40  # each is one call of the correct function, made only for a wrong answer


def _tensor_changes(name: str, value: torch.Tensor) -> list[tuple[str, torch.Tensor]]:
    if value.dim() < 2 or value.is_complex():
        return [(f"the {name}'s signs flipped", -value)] if value.numel() else []
    return [
        (f"the {name} transposed (its rows and columns swapped)", value.transpose(-2, -1)),
        (f"the {name} flipped upside down", value.flip(-2)),
        (f"the {name} flipped left to right", value.flip(-1)),
        (f"the {name} rotated by 180 degrees", value.flip(-2, -1)),
        (f"the {name}'s signs flipped", -value),
    ]


def _number_changes(name: str, value: int) -> list[tuple[str, int]]:
    changes = [(f"{name}={value + 1} instead of {value}", value + 1)]
    if value > 0:
        changes.append((f"{name}={value - 1} instead of {value}", value - 1))
    if value > 1:
        changes.append((f"{name}=0 instead of {value}", 0))
    return changes


def _same_kind(a: Any, b: Any) -> bool:
    if type(a) is torch.Tensor and type(b) is torch.Tensor:
        return a.shape == b.shape and not torch.equal(a, b)
    return type(a) is type(b) is int and a != b


def candidates(
    args: Sequence[Any], names: Sequence[str], numbers: bool = True
) -> list[tuple[str, list[Any]]]:
    """Each single change of the inputs, as (what changed, in words; the changed inputs).
    `numbers`: also a number one more, one less or zero (for a tensor answer, whose many values
    make a coincidence unlikely; a single number is matched by such a change too easily)."""
    found: list[tuple[str, list[Any]]] = []
    for index, (name, value) in enumerate(zip(names, args)):
        if type(value) is torch.Tensor:
            changes: list[tuple[str, Any]] = [
                (words, changed)
                for words, changed in _tensor_changes(name, value)
                if changed.shape != value.shape or not torch.equal(changed, value)
            ]
        elif type(value) is bool:
            changes = [(f"{name}={not value} instead of {value}", not value)]
        elif type(value) is int and numbers:
            changes = _number_changes(name, value)
        else:
            changes = []
        for words, changed in changes:
            found.append((words, [*args[:index], changed, *args[index + 1 :]]))
    for i in range(len(args)):
        for j in range(i + 1, len(args)):
            if _same_kind(args[i], args[j]):
                swapped = list(args)
                swapped[i], swapped[j] = args[j], args[i]
                found.append((f"{names[i]} and {names[j]} swapped", swapped))
    return found[:MAX_CANDIDATES]


def _same(a: Any, b: Any, rtol: float, atol: float) -> bool:
    if type(b) is torch.Tensor:
        return _close(a, b, rtol, atol)
    return type(a) is type(b) and a == b


class Reproduced:
    """The mistake "the answer is what `correct` gives for one changed input", matched only when
    exactly one change reproduces the learner's answer. Used like a `Mistake` (`matches`, then
    `message`); the message names the change the last match found."""

    def __init__(
        self,
        correct: Callable[..., Any],
        args: Sequence[Any],
        names: Sequence[str],
        *,
        what: str,
        rtol: float = 1e-4,
        atol: float = 1e-4,
    ) -> None:
        self.correct, self.args, self.names = correct, list(args), list(names)[: len(args)]
        self.what, self.rtol, self.atol = what, rtol, atol
        self.change = ""

    def matches(self, answer: Any) -> bool:
        right = self.correct(*self.args)
        if _same(answer, right, self.rtol, self.atol):
            return False
        hits = []
        many = type(right) is torch.Tensor and right.numel() > 1
        for words, changed in candidates(self.args, self.names, numbers=many):
            try:
                value = self.correct(*changed)
            except Exception:  # noqa: BLE001 - a change the correct code refuses reproduces nothing
                continue
            if not _same(value, right, self.rtol, self.atol) and _same(
                answer, value, self.rtol, self.atol
            ):
                hits.append(words)
        # none, or two changes giving the same answer (a symmetric kernel...): nothing is proven
        self.change = hits[0] if len(hits) == 1 else ""
        return bool(self.change)

    @property
    def message(self) -> str:
        if not self.change:
            return ""
        return f"{self.what} returned exactly what correct code returns with {self.change}."


reproduced = Reproduced  # what checks put in likely=[...], beside their Mistakes

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


def _tensor_changes(name: str, value: torch.Tensor) -> list[tuple[str, str, torch.Tensor]]:
    if value.dim() < 2 or value.is_complex():
        return [("neg", f"the {name}'s signs flipped", -value)] if value.numel() else []
    return [
        ("T", f"the {name} transposed (its rows and columns swapped)", value.transpose(-2, -1)),
        ("ud", f"the {name} flipped upside down", value.flip(-2)),
        ("lr", f"the {name} flipped left to right", value.flip(-1)),
        ("rot", f"the {name} rotated by 180 degrees", value.flip(-2, -1)),
        ("neg", f"the {name}'s signs flipped", -value),
    ]


def _number_changes(name: str, value: int) -> list[tuple[str, str, int]]:
    changes = [("+1", f"{name}={value + 1} instead of {value}", value + 1)]
    if value > 0:
        changes.append(("-1", f"{name}={value - 1} instead of {value}", value - 1))
    if value > 1:
        changes.append(("0", f"{name}=0 instead of {value}", 0))
    return changes


def _same_kind(a: Any, b: Any) -> bool:
    if type(a) is torch.Tensor and type(b) is torch.Tensor:
        return a.shape == b.shape and not torch.equal(a, b)
    return type(a) is type(b) is int and a != b


Key = tuple  # which change, independent of the values: (input index, kind) or ("swap", i, j)


def keyed_candidates(
    args: Sequence[Any], names: Sequence[str], numbers: bool = True
) -> list[tuple[Key, str, list[Any]]]:
    """Each single change of the inputs, as (its key, what changed in words, the changed inputs).
    `numbers`: also a number one more, one less or zero (for a tensor answer, whose many values
    make a coincidence unlikely; a single number is matched by such a change too easily)."""
    found: list[tuple[Key, str, list[Any]]] = []
    for index, (name, value) in enumerate(zip(names, args)):
        if type(value) is torch.Tensor:
            changes: list[tuple[str, str, Any]] = [
                (kind, words, changed)
                for kind, words, changed in _tensor_changes(name, value)
                if changed.shape != value.shape or not torch.equal(changed, value)
            ]
        elif type(value) is bool:
            changes = [("not", f"{name}={not value} instead of {value}", not value)]
        elif type(value) is int and numbers:
            changes = _number_changes(name, value)
        else:
            changes = []
        for kind, words, changed in changes:
            found.append(((index, kind), words, [*args[:index], changed, *args[index + 1 :]]))
    for i in range(len(args)):
        for j in range(i + 1, len(args)):
            if _same_kind(args[i], args[j]):
                swapped = list(args)
                swapped[i], swapped[j] = args[j], args[i]
                found.append((("swap", i, j), f"{names[i]} and {names[j]} swapped", swapped))
    return found[:MAX_CANDIDATES]


def candidates(
    args: Sequence[Any], names: Sequence[str], numbers: bool = True
) -> list[tuple[str, list[Any]]]:
    """Each single change of the inputs, as (what changed, in words; the changed inputs)."""
    return [(words, changed) for _, words, changed in keyed_candidates(args, names, numbers)]


def _same(a: Any, b: Any, rtol: float, atol: float) -> bool:
    if type(b) is torch.Tensor:
        return _close(a, b, rtol, atol)
    return type(a) is type(b) and a == b


class Reproduced:
    """The mistake "the answer is what `correct` gives for one changed input", matched only when
    exactly one change reproduces the learner's answer. Used like a `Mistake` (`matches`, then
    `message`); the message names the change the last match found.

    A single number is matched by unrelated slips too easily (a count without kh is also the
    count with in_channels and kernel_size swapped, for in_channels=1): for one, the change must
    also reproduce the learner's answer on another input, `confirm(*other)` for some of `others`
    on which the change gives another number; without `confirm` nothing is named."""

    def __init__(
        self,
        correct: Callable[..., Any],
        args: Sequence[Any],
        names: Sequence[str],
        *,
        what: str,
        rtol: float = 1e-4,
        atol: float = 1e-4,
        confirm: Callable[..., Any] | None = None,
        others: Sequence[Sequence[Any]] = (),
    ) -> None:
        self.correct, self.args, self.names = correct, list(args), list(names)[: len(args)]
        self.what, self.rtol, self.atol = what, rtol, atol
        self.confirm, self.others = confirm, [list(o) for o in others if list(o) != self.args]
        self.change = ""

    def _gives(self, args: Sequence[Any]) -> Any:
        try:
            return self.correct(*args)
        except Exception:  # noqa: BLE001 - a change the correct code refuses reproduces nothing
            return _REFUSED

    def matches(self, answer: Any) -> bool:
        right = self.correct(*self.args)
        if _same(answer, right, self.rtol, self.atol):
            return False
        hits = []
        many = type(right) is torch.Tensor and right.numel() > 1
        for key, words, changed in keyed_candidates(self.args, self.names, numbers=many):
            value = self._gives(changed)
            if value is _REFUSED:
                continue
            if not _same(value, right, self.rtol, self.atol) and _same(
                answer, value, self.rtol, self.atol
            ):
                hits.append((key, words))
        if not many:  # one number: the same change must give the learner's answer elsewhere too
            hits = [(key, words) for key, words in hits if self._confirmed(key, numbers=many)]
        # none, or two changes giving the same answer (a symmetric kernel...): nothing is proven
        self.change = hits[0][1] if len(hits) == 1 else ""
        return bool(self.change)

    def _confirmed(self, key: Key, numbers: bool) -> bool:
        """The learner's function, on some other input the change tells apart, answers what the
        change gives there, and on none of them otherwise."""
        if self.confirm is None:
            return False
        shown = 0
        for other in self.others:
            changed = next(
                (c for k, _, c in keyed_candidates(other, self.names, numbers) if k == key), None
            )
            if changed is None:
                continue
            right, value = self._gives(other), self._gives(changed)
            if right is _REFUSED or value is _REFUSED or _same(value, right, self.rtol, self.atol):
                continue
            try:
                got = self.confirm(*other)
            except Exception:  # noqa: BLE001 - the learner's refusal confirms nothing
                return False
            if not _same(got, value, self.rtol, self.atol):
                return False
            shown += 1
        return shown > 0

    @property
    def message(self) -> str:
        if not self.change:
            return ""
        return f"{self.what} returned exactly what correct code returns with {self.change}."


class Unless:
    """`mistake`, named only when `rival(answer)` says nothing: when another explanation fits
    the same values (in * out + in is the arguments swapped, and also a bias per input), the
    cause is open, and the rival's words, which say only what the arithmetic shows, are said."""

    def __init__(self, mistake: Reproduced, rival: Callable[[Any], str]) -> None:
        self.mistake, self.rival = mistake, rival

    def matches(self, answer: Any) -> bool:
        return not self.rival(answer) and self.mistake.matches(answer)

    @property
    def message(self) -> str:
        return self.mistake.message

    @property
    def by_value(self) -> bool:  # as the mistake it guards: judged on the answer's value alone
        return getattr(self.mistake, "by_value", False)


_REFUSED = object()  # what `correct` gives for inputs it refuses
reproduced = Reproduced  # what checks put in likely=[...], beside their Mistakes

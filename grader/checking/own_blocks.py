"""A function built from the learner's other functions, read through them: when a building block
is itself wrong on the calls the function rests on, no cause inside the function is proven (the
block's slip may be all of it, and any number it makes fits some other slip by coincidence), so
a check's own causes yield; and when the learner's blocks, put together as the spec composes
them, give the learner's answer exactly, that is said, with the block that is wrong.

The blocks' values come from the learner's code (worker calls); the right values and the
comparison are the grader's. The words only explain a failure: points never rest on them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from grader.checking.problems import SubmissionProblem
from grader.checking.reproduce import Unless


@dataclass(frozen=True)
class Block:
    """One call of a building block: `label` as a learner would write it, `call` runs the
    learner's block, `right` is the grader's value for it, `same` compares two values."""

    label: str
    call: Callable[[], Any]
    right: Any
    same: Callable[[Any, Any], bool]


class OwnBlocks:
    """The building blocks one check's function rests on, called once, when first asked."""

    def __init__(
        self,
        blocks: Sequence[Block],
        compose: Callable[[Sequence[Any]], Any] | None = None,
        whole: str = "",
        how: str = "",
        unshown: Callable[[Sequence[Any]], str] | None = None,
    ) -> None:
        """`compose` puts the blocks' values together as the spec does; `whole` names the
        learner's answer and `how` the composition, for the words. `unshown` names a part of
        the composition the blocks' values cannot show the function does ("" when they can)."""
        self.blocks, self.compose, self.whole, self.how = list(blocks), compose, whole, how
        self.unshown = unshown
        self._values: list[Any] | None = None
        self._raised: list[bool] = []

    def _read(self) -> list[Any]:
        if self._values is None:
            values, raised = [], []
            for block in self.blocks:
                try:
                    values.append(block.call())
                    raised.append(False)
                except SubmissionProblem:
                    values.append(None)
                    raised.append(True)
            self._values, self._raised = values, raised
        return self._values

    def wrong(self) -> list[str]:
        """The labels of the blocks that are wrong (or refuse) on the calls its function makes."""
        values = self._read()
        return [
            block.label
            for block, value, refused in zip(self.blocks, values, self._raised)
            if refused or not _safe_same(block.same, value, block.right)
        ]

    def any_wrong(self, answer: Any = None) -> str:
        """A rival for `Unless`: non-empty when some block is wrong (the answer is not needed)."""
        return ", ".join(self.wrong())

    def words(self, answer: Any, same: Callable[[Any, Any], bool]) -> str:
        """The proven sentence when the blocks, composed as the spec composes them, give
        `answer` exactly while some block is wrong; else ""."""
        wrong = self.wrong()
        if not wrong or self.compose is None or any(self._raised):
            return ""
        try:
            composed = self.compose(self._read())
        except Exception:  # the learner's values may not compose (a wrong shape): nothing proven
            return ""
        if not _safe_same(same, answer, composed):
            return ""
        numbers, others = [], []
        for block, value in zip(self.blocks, self._read()):
            if block.label not in wrong:
                continue
            if type(value) in (int, float) and type(block.right) in (int, float):
                numbers.append(f"{block.label} gives {value:,}, expected {block.right:,}")
            else:
                others.append(block.label)
        if others:
            numbers.append(f"{' and '.join(others)} {'is' if len(others) == 1 else 'are'} wrong")
        functions = list(dict.fromkeys(label.split("(")[0] for label in wrong))
        checks = " and ".join(f"{name}'s" for name in functions)
        # a part the blocks make invisible (a padding they ignore) is not proven done
        try:
            unshown = self.unshown(self._read()) if self.unshown is not None else ""
            follows = f"this follows if {unshown}" if unshown else "this follows"
        except Exception:  # the learner's blocks refuse the question: nothing more is proven
            follows = "see what is left"
        return (
            f"{self.whole} is exactly {self.how}, and {'; '.join(numbers)} (see {checks} own "
            f"check{'s' if len(functions) > 1 else ''}): fix that, and {follows}."
        )


def guarded_by(own: OwnBlocks, mistakes: Sequence[Any]) -> list[Unless]:
    """Each of a check's own mistakes, said only when every building block is right."""
    return [Unless(mistake, own.any_wrong) for mistake in mistakes]


def same_tensor(a: Any, b: Any) -> bool:
    """Two tensors of one shape and close values (a building block's output, or a filter)."""
    return (
        type(a) is torch.Tensor
        and type(b) is torch.Tensor
        and a.shape == b.shape
        and torch.allclose(a.double(), b.double(), rtol=1e-4, atol=1e-4)
    )


class ComposedMistake:
    """The proven sentence as one of a check's `likely` mistakes (its words depend on the
    answer, so they are made when it matches)."""

    by_value = False

    def __init__(self, own: OwnBlocks, same: Callable[[Any, Any], bool]) -> None:
        self.own, self.same, self._words = own, same, ""

    def matches(self, answer: Any) -> bool:
        self._words = self.own.words(answer, self.same)
        return bool(self._words)

    @property
    def message(self) -> str:
        return self._words


def _safe_same(same: Callable[[Any, Any], bool], a: Any, b: Any) -> bool:
    try:
        return bool(same(a, b))
    except Exception:  # a learner's value of another type or shape is simply not the same
        return False

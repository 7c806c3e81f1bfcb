"""An output size named by the slip in its formula that makes it, proven on every input of the
check. A slip is a small change of the size formula (its + 1 dropped, the padding added once or
not at all, the stride not used or defaulting to 1, a division rounded up, the kernel not
subtracted), computed through the correct function itself with changed inputs: (s + 2p - k) //
st + 1 without its + 1 is correct(...) - 1; with the padding once it is correct(s - p, ...); so
no formula is written here and a handout, which has no correct function, says nothing.

One number is matched by unrelated slips too easily (27 for (28, 3, 1, 1) is the + 1 dropped and
also the padding added once), so a slip is named only when the learner's function answers what
it gives on every input of the check (where the slip's inputs are valid), on at least one other
input where it differs from the right size, and when no other slip does the same on all of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from grader.checking.problems import SubmissionProblem

Args = tuple[int, ...]  # the formula's arguments, every default filled in


@dataclass(frozen=True)
class Slip:
    formula: str  # the sizes it makes
    change: str  # what differs from the right formula
    gives: Callable[[Callable[..., int], Args], int]  # (the correct function, args) -> size


CONV_SLIPS = (  # conv_output_size(size, kernel_size, stride, padding)
    Slip(
        "(size + 2 * padding - kernel_size) // stride",
        "the + 1 is missing (it counts the window's first position)",
        lambda f, a: f(*a) - 1,
    ),
    Slip(
        "(size + padding - kernel_size) // stride + 1",
        "the padding is added once, but it pads both sides: 2 * padding",
        lambda f, a: f(a[0] - a[3], *a[1:]),
    ),
    Slip(
        "(size - kernel_size) // stride + 1",
        "padding is missing: it adds 2*padding to the size",
        lambda f, a: f(*a[:3], 0),
    ),
    Slip(
        "size + 2 * padding - kernel_size + 1",
        "the stride is not used: the formula divides by it (// stride) before the + 1",
        lambda f, a: f(a[0], a[1], 1, a[3]),
    ),
    Slip(
        "the formula with its division rounded up (math.ceil)",
        "// rounds down: a window must fit whole",
        lambda f, a: f(a[0] + a[2] - 1, *a[1:]),
    ),
    Slip(
        "(size + 2 * padding) // stride + 1",
        "kernel_size is not subtracted",
        lambda f, a: f(a[0] + a[1], *a[1:]),
    ),
    Slip(
        "(size + 2 * padding - kernel_size + 1) // stride",
        "the + 1 is inside the division; it belongs after it",
        lambda f, a: f(a[0] + 1, *a[1:]) - 1,
    ),
    Slip(
        "size + 2 * padding - kernel_size // stride + 1",
        "brackets are missing: // stride divides kernel_size alone, but it divides "
        "(size + 2 * padding - kernel_size)",
        lambda f, a: f(a[0], a[1] // a[2], 1, a[3]),
    ),
)

POOL_SLIPS = (  # pool_output_size(size, kernel_size, stride); stride None means kernel_size
    Slip(
        "(size - kernel_size) // stride",
        "the + 1 is missing (it counts the first window)",
        lambda f, a: f(*a) - 1,
    ),
    Slip(
        "size - kernel_size + 1 when no stride is given",
        "the default stride should be kernel_size (as in nn.MaxPool2d), not 1",
        lambda f, a: f(a[0], a[1], 1 if a[2] is None else a[2]),
    ),
    Slip(
        "size - kernel_size + 1, whatever the stride",
        "the stride is not used (a stride of 1 always)",
        lambda f, a: f(a[0], a[1], 1),
    ),
    Slip(
        "size // kernel_size, whatever the stride",
        "the stride argument is not used (a stride of kernel_size always)",
        lambda f, a: f(a[0], a[1], a[1]),
    ),
    Slip(
        "the formula with its division rounded up (math.ceil, like ceil_mode=True)",
        "// rounds down: a window must fit whole",
        lambda f, a: f(a[0] + (a[2] or a[1]) - 1, a[1], a[2]),
    ),
    Slip(
        "size // stride + 1",
        "kernel_size is not subtracted",
        lambda f, a: f(a[0] + a[1], a[1], a[2]),
    ),
)

_REFUSED = object()


class SizeSlip:
    """Used like a `Mistake` in `likely=[...]`: `matches(answer)`, then `message`. `correct`
    is the right size function, `inputs` every input the check asks (as called), `defaults`
    what fills an input's missing trailing arguments, `learner` the learner's function."""

    def __init__(
        self,
        correct: Callable[..., int],
        args: Sequence[Any],
        inputs: Sequence[Sequence[Any]],
        learner: Callable[..., Any],
        *,
        what: str,
        defaults: Sequence[Any],
        slips: Sequence[Slip],
    ) -> None:
        self.correct, self.learner, self.what, self.slips = correct, learner, what, slips
        self.args, self.defaults = tuple(args), tuple(defaults)
        self.inputs = [tuple(i) for i in inputs if tuple(i) != self.args]
        self.found: Slip | None = None
        self.shown = 0
        self._answers: dict[Args, Any] = {}

    def _full(self, args: Sequence[Any]) -> Args:
        return (*args, *self.defaults[len(args) :])

    def _gives(self, slip: Slip | None, args: Sequence[Any]) -> Any:
        """The right size (slip None) or the slip's, or _REFUSED where its input is invalid."""
        full = self._full(args)
        try:
            value = self.correct(*full) if slip is None else slip.gives(self.correct, full)
        except Exception:  # noqa: BLE001 - the correct function refuses the changed input
            return _REFUSED
        return value if type(value) is int and value >= 1 else _REFUSED

    def _answer(self, args: Args) -> Any:
        if args not in self._answers:
            try:
                self._answers[args] = self.learner(*args)
            except SubmissionProblem:  # the learner's refusal confirms nothing
                self._answers[args] = _REFUSED
        return self._answers[args]

    def _confirmed(self, slip: Slip) -> int:
        """How many other inputs the learner answers as the slip does, when it answers all of
        them so (where the slip's inputs are valid) and at least one tells the slip apart from
        the right size; 0 otherwise."""
        told = shown = 0
        for other in self.inputs:
            value = self._gives(slip, other)
            if value is _REFUSED:
                continue  # the slip's input is not valid: this input says nothing
            answer = self._answer(other)
            if type(answer) is not int or answer != value:
                return 0
            told += value != self._gives(None, other)
            shown += 1
        return shown if told else 0

    def matches(self, answer: Any) -> bool:
        self.found, self.shown = None, 0
        right = self._gives(None, self.args)
        if type(answer) is not int or right is _REFUSED or answer == right:
            return False
        fits = [s for s in self.slips if self._gives(s, self.args) == answer]
        proven = [(s, n) for s in fits if (n := self._confirmed(s))]
        if len(proven) == 1:  # two slips that fit every input: which one it is is not proven
            self.found, self.shown = proven[0][0], proven[0][1] + 1
        return self.found is not None

    @property
    def message(self) -> str:
        if self.found is None:
            return ""
        return (
            f"{self.what} returned {self.found.formula} on each of {self.shown} of the check's "
            f"{len(self.inputs) + 1} inputs: {self.found.change}."
        )


@dataclass(frozen=True)
class Factor:
    """One factor of a size that is a product (fc's inputs: channels * side * side): its right
    value for a case first, then its slips, each (words, value for a case)."""

    options: tuple[tuple[str, Callable[[Any], int]], ...]
    power: int = 1


class ProductSlip:
    """A number that is a product of factors (fc's in_features = channels * S * S), named by
    the slips of its factors that give the learner's number on every case of the check (each a
    configuration; `answer_for(case)` the learner's number there), when exactly one such
    combination does and it differs from the right number on at least two cases. Used like a
    `Mistake`; the answer given to `matches` is not read (each case's number is)."""

    def __init__(
        self,
        factors: Sequence[Factor],
        cases: Sequence[Any],
        answer_for: Callable[[Any], Any],
        *,
        what: str,
    ) -> None:
        self.factors, self.cases, self.answer_for, self.what = factors, cases, answer_for, what
        self.found: tuple[str, ...] = ()

    def _value(self, choice: Sequence[int], case: Any) -> int:
        value = 1
        for factor, index in zip(self.factors, choice):
            value *= factor.options[index][1](case) ** factor.power
        return value

    def matches(self, answer: Any = None) -> bool:
        self.found = ()
        try:
            answers = [self.answer_for(case) for case in self.cases]
        except SubmissionProblem:  # a configuration the learner's code refuses: no proof
            return False
        if not all(type(a) is int for a in answers):
            return False
        right = tuple(0 for _ in self.factors)
        fits = []
        for choice in _choices([len(f.options) for f in self.factors]):
            if choice == right:
                continue
            values = [self._value(choice, case) for case in self.cases]
            told = sum(v != self._value(right, c) for v, c in zip(values, self.cases))
            if values == answers and told >= 2:
                fits.append(choice)
        if len(fits) == 1:
            self.found = tuple(f.options[i][0] for f, i in zip(self.factors, fits[0]))
        return bool(self.found)

    @property
    def message(self) -> str:
        if not self.found:
            return ""
        return f"on each of the {len(self.cases)} configurations checked, {self.what(*self.found)}"


def _choices(sizes: Sequence[int]) -> list[tuple[int, ...]]:
    found: list[tuple[int, ...]] = [()]
    for size in sizes:
        found = [(*c, i) for c in found for i in range(size)]
    return found

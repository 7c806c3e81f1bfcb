"""Judging answers and writing the message a learner reads when one is wrong.

Every helper raises `AssertionError` with a message that says what was
expected, what came (type, shape, dtype, how many values differ, the largest
difference and where) and, when one of the `likely` mistakes reproduces the
answer, names that mistake in plain words.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from grader.checking import anatomy, anatomy_numbers, anatomy_records, tensor_text
from grader.checking.anatomy import Finding
from grader.checking.submission import LoadError, StudentError
from grader.checking.type_text import type_words
from grader.wire.protocol import Opaque


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer: `matches(actual)` is true when the student's answer looks like it."""

    matches: Callable[[Any], bool]
    message: str
    by_value: bool = False  # judged on the answer's value alone (not on other observations)


def looks_like(
    candidate: torch.Tensor, message: str, rtol: float = 1e-4, atol: float = 1e-4
) -> Mistake:
    """The mistake whose wrong answer is the tensor `candidate`."""
    return Mistake(lambda actual: _close(actual, candidate, rtol, atol), message, by_value=True)


def when(predicate: Callable[[Any], bool], message: str) -> Mistake:
    return Mistake(predicate, message)


class CheckFailure(AssertionError):
    """A wrong answer, in four parts: `headline` says what is wrong without any input or expected
    value, `details` shows them, `mistake` names the likely cause, `shows` what the values prove
    (grader.checking.anatomy). A hidden check (a graded run's secret inputs) shows the headline,
    the mistake and a `shows` that quotes no value."""

    def __init__(
        self, headline: str, details: str = "", mistake: str = "", shows: Finding | None = None
    ) -> None:
        self.headline, self.details, self.mistake = headline, details.strip("\n"), mistake
        self.shows = shows
        super().__init__(self.full())

    def full(self) -> str:
        parts = [self.headline, self.details, self._named(), self._shown(hidden=False)]
        if self.mistake and "\n".join(p for p in parts if p).count("\n") >= _FITS:
            parts.pop()  # the named mistake says it; the block stays whole in a terminal
        return "\n".join(part for part in parts if part)

    def redacted(self) -> str:
        parts = (self.headline, self._named(), self._shown(hidden=True))
        return "\n".join(part for part in parts if part)

    def _named(self) -> str:
        return f"Likely mistake: {self.mistake}" if self.mistake else ""

    def _shown(self, hidden: bool) -> str:
        if self.shows is None or (hidden and self.shows.carries_value):
            return ""
        return f"What the numbers show: {self.shows.text}"


_FITS = 21  # lines under a failed check's title that a terminal shows whole (its MAX_LINES)


def fail(headline: str, details: str = "", mistake: str = "", shows: Finding | None = None) -> None:
    raise CheckFailure(headline, details, mistake, shows)


def _close(actual: Any, expected: torch.Tensor, rtol: float, atol: float) -> bool:
    """|actual - expected| <= atol + rtol * |expected| everywhere (torch.testing.assert_close's
    rule, without its first call's import of torch.distributed: a third of a second per check
    run); integers and booleans exactly; NaN equals nothing."""
    if type(actual) is not torch.Tensor or actual.shape != expected.shape:
        return False
    if actual.is_complex() or expected.is_complex():
        return False
    common = torch.promote_types(actual.dtype, expected.dtype)
    actual, expected = actual.detach().to(common), expected.detach().to(common)
    if common.is_floating_point:
        return bool(torch.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=False).all())
    return bool(torch.equal(actual, expected))


def _diagnose(actual: Any, likely: Iterable[Mistake], expected: Any) -> str:
    """The first listed mistake that matches `actual`; one judged by value alone that the right
    answer satisfies too (a transposed symmetric kernel) proves nothing and is passed over."""
    for mistake in likely:
        try:
            if not mistake.matches(actual):
                continue
        except Exception:  # noqa: BLE001 - a diagnosis that does not apply says nothing
            continue
        try:
            also_right = getattr(mistake, "by_value", False) and bool(mistake.matches(expected))
        except Exception:  # noqa: BLE001 - it cannot even be asked of the right answer
            also_right = False
        if not also_right:
            return mistake.message
    return ""


def kind_of(value: Any) -> str:
    """What a value is, without any of its content: for headlines, which a hidden check shows (a
    returned string or number could carry a graded run's secret inputs out)."""
    if isinstance(value, (bool, int, float, str)):
        article = "an" if type(value).__name__[0] in "aeiou" else "a"
        return f"{article} {type(value).__name__}"
    return describe(value)  # types, shapes and lengths only


def describe(value: Any) -> str:
    """A short description of any decoded value, for messages."""
    if isinstance(value, Opaque):
        return f"an object of type {value.type_name}" + (f" ({value.note})" if value.note else "")
    if type(value) is torch.Tensor:
        dtype = str(value.dtype).removeprefix("torch.")
        return f"a tensor of shape {tuple(value.shape)} and dtype {dtype}"
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} (a torch.Tensor was expected)"
    if isinstance(value, np.generic):  # np.prod, np.sum: not a Python number
        return f"a numpy.{type(value).__name__} (a numpy number, not a Python one)"
    if isinstance(value, bool):
        return f"the bool {value}"
    if isinstance(value, (int, float, str)):
        return f"the {type(value).__name__} {value!r}"
    if isinstance(value, (list, tuple)) and 0 < len(value) <= 4:
        # the items' types: "a tuple of length 2" twice would not say what differs
        items = ", ".join(_item_type(v) for v in value)
        return f"a {type(value).__name__} of length {len(value)} ({items})"
    if isinstance(value, (list, tuple, dict)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"a {type(value).__name__}"


def _item_type(value: Any) -> str:
    if type(value) is torch.Tensor:
        return "a 0-d tensor" if value.dim() == 0 else f"a tensor of shape {tuple(value.shape)}"
    if isinstance(value, np.generic):
        return f"a numpy.{type(value).__name__}"
    return "an int" if type(value) is int else f"a {type(value).__name__}"


def show(tensor: torch.Tensor, limit: int = 36) -> str:
    """An input as far as it helps: whole when it has at most 9 values (and `limit` allows),
    else its shape, dtype and first few values; `limit=0` gives the shape alone."""
    return tensor_text.brief(tensor, min(limit, 9))


def expect_tensor(
    actual: Any,
    expected: torch.Tensor,
    *,
    what: str,
    inputs: str = "",
    rtol: float = 1.3e-6,
    atol: float = 1e-5,
    likely: Iterable[Mistake] = (),
    facts: Mapping[str, float] | None = None,
) -> None:
    """Shape first, then dtype, then values (`_close`; no subclasses). `facts` name numbers the
    check knows ({"batch size": 4}) that a wrong answer may be scaled by."""
    likely = list(likely)
    context = f"Input: {inputs}" if inputs else ""
    if type(actual) is not torch.Tensor:
        fail(
            f"{what} should be a torch.Tensor but is {kind_of(actual)}.",
            f"It is {describe(actual)}.\n{context}",
            _diagnose(actual, likely, expected),
        )
    if actual.shape != expected.shape:
        fail(
            f"{what} has the wrong shape.",
            f"Its shape is {tuple(actual.shape)}, expected {tuple(expected.shape)}.\n{context}",
            _diagnose(actual, likely, expected),
            anatomy.explain(actual, expected, rtol=rtol, atol=atol, facts=facts),
        )
    if actual.dtype != expected.dtype:
        fail(
            f"{what} has dtype {actual.dtype}, expected {expected.dtype}.",
            context,
            _diagnose(actual, likely, expected),
            anatomy.explain_dtype(actual, expected, rtol=rtol, atol=atol),
        )
    if not _close(actual, expected, rtol, atol):
        fail(
            f"{what} has the right shape but wrong values.",
            f"{tensor_text.difference(actual, expected, rtol, atol)}\n{context}",
            _diagnose(actual, likely, expected),
            anatomy.explain(actual, expected, rtol=rtol, atol=atol, facts=facts),
        )


def expect_value(
    actual: Any,
    expected: Any,
    *,
    what: str,
    inputs: str = "",
    likely: Iterable[Mistake] = (),
    fields: tuple[str, ...] = (),
    explain: Callable[[Any], str] | None = None,
) -> None:
    """Exact equality for plain values, with the type checked first (True is not 1, 1.0 is not
    1). A container is described element by element (`fields` names a tuple's elements);
    `explain(actual)` may give a proven cause when no listed mistake matches."""
    context = f"Input: {inputs}" if inputs else ""
    likely = list(likely)
    if not _same_plain_type(actual, expected):
        typed = f"{type_words(describe(expected), describe(actual), actual, expected)}."
        fail(
            f"{what} has the wrong type.",
            anatomy_records.words(actual, expected, fields, typed) + f"\n{context}",
            _diagnose(actual, likely, expected) or anatomy_records.explained(explain, actual),
        )
    if actual != expected:
        fail(
            f"{what} is wrong.",
            f"{anatomy_records.words(actual, expected, fields, '')}\n{context}",
            _diagnose(actual, likely, expected) or anatomy_records.explained(explain, actual),
        )


def _same_plain_type(actual: Any, expected: Any) -> bool:
    """Types alike at every position both have (a length that differs is a wrong value)."""
    if type(actual) is not type(expected):
        return False
    if isinstance(expected, (list, tuple)):
        return all(_same_plain_type(a, e) for a, e in zip(actual, expected))
    return True


def expect_number(
    actual: Any,
    expected: float,
    *,
    what: str,
    inputs: str = "",
    rel: float = 1e-5,
    abs_tol: float = 1e-6,
    likely: Iterable[Mistake] = (),
    facts: Mapping[str, float] | None = None,
) -> None:
    """A Python float (an int is accepted too) close to `expected`. `facts`: numbers the check
    knows (the batch size...), by name, for the anatomy of a wrong number (anatomy_numbers)."""
    context = f"Input: {inputs}" if inputs else ""
    likely = list(likely)
    if type(actual) not in (float, int):
        fail(
            f"{what} should be a Python float but is {kind_of(actual)}.",
            f"It is {describe(actual)}.\n{context}",
            _diagnose(actual, likely, expected),
        )
    if not math.isfinite(actual) or not math.isclose(
        actual, expected, rel_tol=rel, abs_tol=abs_tol
    ):
        mistake = _diagnose(actual, likely, expected)
        fail(
            f"{what} is wrong.",
            f"It is {actual:.6g}, expected {expected:.6g}.\n{context}",
            mistake,
            None if mistake else anatomy_numbers.finding(actual, expected, facts),
        )


def expect_raises(call: Callable[[], Any], error: str, *, what: str, inputs: str = "") -> None:
    """`call` (a call into the submission) must raise the exception named `error`."""
    context = f"Input: {inputs}" if inputs else ""
    try:
        value = call()
    except LoadError:
        raise
    except StudentError as exc:
        if exc.is_a(error):
            return
        fail(
            f"{what} should raise {error}, but raised something else.",
            f"{exc.message}\n{context}",
        )
    fail(
        f"{what} should raise {error}, but returned {kind_of(value)}.",
        f"It is {describe(value)}.\n{context}",
    )

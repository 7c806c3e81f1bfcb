"""What an error rule is: the context it reads (the learner's line, function and exercise) and
the pair of texts it gives, what the error means and what to check."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# The student's frames as the worker cuts them (grader.worker.server._student_frames), and a
# syntax error's own header, which has no "in NAME".
_FRAME = re.compile(r'^\s*File "[^"\n]*", line (\d+)(?:, in ([^\n]+))?$(?:\n    (.+)$)?', re.M)


@dataclass(frozen=True)
class Context:
    """Where the error happened: the learner's line, its number, the function (a qualified name
    such as SimpleCNN.__init__ when the worker knows it), the exercise, and what its folder's
    rules.py advises checking for the rule at hand (grader/checking/exercise_rules.py)."""

    line: str = ""
    line_number: int | None = None
    function: str = ""
    exercise: str = ""
    advice: str = ""
    # the keyword arguments the grader itself passed to the failing call (plain values it chose,
    # so trusted): an observed fact that may explain the failure, such as padding=0
    arguments: tuple[tuple[str, object], ...] = ()

    def argument(self, name: str) -> object:
        """The failing call's keyword argument `name`, or None when the call had none."""
        return dict(self.arguments).get(name)

    def check(self, general: str) -> str:
        """What to check: the exercise's advice for this rule, else `general`; then the line."""
        return (self.advice or general) + self.at_line()

    def at_line(self) -> str:
        if not self.line:
            return ""
        code = self.line if len(self.line) <= 80 else self.line[:77] + "..."
        return f" Your line {self.line_number}: `{code}`."

    @property
    def owner(self) -> str:
        """The class of a method (SimpleCNN for SimpleCNN.__init__), else ""."""
        parts = self.function.split(".")
        return parts[-2] if len(parts) >= 2 and parts[-2] != "<locals>" else ""


Explain = Callable[[re.Match, Context], tuple[str, str]]


@dataclass(frozen=True)
class Fact:
    """Something a rule's words rest on, proven from the error's text (the match), the learner's
    line or the failing call's arguments; a rule whose facts do not all hold names no cause."""

    name: str
    holds: Callable[[re.Match, Context], bool]

    def __call__(self, match: re.Match, context: Context) -> bool:
        try:
            return bool(self.holds(match, context))
        except (TypeError, ValueError, IndexError):  # a fact that cannot be read does not hold
            return False


@dataclass(frozen=True)
class Rule:
    """`explain` is said only when every fact of `needs` holds; otherwise `general` (what the
    error means without a cause), or nothing when the rule has no general words."""

    name: str
    pattern: re.Pattern
    explain: Explain
    needs: tuple[Fact, ...] = ()
    general: Explain | None = None

    def texts(self, match: re.Match, context: Context) -> tuple[str, str] | None:
        """(meaning, what to check) as far as the facts prove them, or None to stay silent."""
        if all(fact(match, context) for fact in self.needs):
            return self.explain(match, context)
        return self.general(match, context) if self.general else None


def line_has(name: str, pattern: str) -> Fact:
    """The learner's failing line contains `pattern` (a regular expression)."""
    found = re.compile(pattern)
    return Fact(name, lambda m, c: bool(found.search(c.line)))


def group_is(name: str, index: int, test: Callable[[str], bool]) -> Fact:
    """The error text's group `index` passes `test` (a number or a name the error states)."""
    return Fact(name, lambda m, c: m.group(index) is not None and test(m.group(index)))


def learner_line(trace: str) -> tuple[str, int | None, str]:
    """The innermost of the learner's frames in a cut traceback: (code, line number, function)."""
    found = list(_FRAME.finditer(trace or ""))
    if not found:
        return "", None, ""
    last = found[-1]
    return (last.group(3) or "").strip(), int(last.group(1)), (last.group(2) or "").strip()


def simple(meaning: str, check: str) -> Explain:
    """A rule's texts as templates of the match's groups."""
    return lambda m, c: (meaning.format(*m.groups()), check.format(*m.groups()) + c.at_line())

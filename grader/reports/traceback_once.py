"""A traceback repeated by several checks of an exercise is shown once: a later check whose
message holds the same traceback says "Same error as <check> above." in its place (with the
error's "What this means"/"What to check", said with the first)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from grader.workbook.results import CheckResult

# A cut traceback in a message: its frames ('  File "...", line N, in f' and their indented
# code lines), the exception's own line, then the translator's two lines when they follow.
_TRACEBACK = re.compile(
    r'^(?:  File "[^\n]*\n(?:    [^\n]*\n)*)+[^\s\n][^\n]*'
    r"(?:\nWhat this means: [^\n]*)?(?:\nWhat to check: [^\n]*)?",
    re.M,
)


def _split(block: str) -> tuple[str, str]:
    """(the frames and the exception's line, which identify the error; the translator's lines)."""
    cut = min(
        (block.find(m) for m in ("\nWhat this means: ", "\nWhat to check: ") if m in block),
        default=len(block),
    )
    return block[:cut], block[cut:]


def shown_once(checks: Iterable[CheckResult]) -> list[CheckResult]:
    """`checks` in order, each later repeat of a traceback replaced by a pointer to the first
    check that showed it. A message without a traceback is left as it is."""
    first: dict[str, tuple[str, str]] = {}  # a traceback's frames -> (the check, its words)
    result = []
    for check in checks:
        message = check.message

        def pointer(match: re.Match, name: str = check.name) -> str:
            frames, words = _split(match.group())
            if frames in first and first[frames][0] != name:
                # words of its own (an exercise's advice, proven by this call) are kept
                said = "" if words == first[frames][1] else words
                return f"Same error as {first[frames][0]} above.{said}"
            first.setdefault(frames, (name, words))
            return match.group()

        changed = _TRACEBACK.sub(pointer, message) if '  File "' in message else message
        result.append(check if changed == message else replace(check, message=changed))
    return result

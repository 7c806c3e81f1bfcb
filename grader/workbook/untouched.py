"""Whether a file is the stub as it was handed out, untouched: such a file never wins over real
work elsewhere in the same submission. Torch-free; the file is parsed, never run."""

from __future__ import annotations

import ast
from functools import lru_cache

from grader.workbook.paths import EXERCISES_DIR, SOLUTIONS_DIR
from grader.workbook.stubs import starter_text, stub_from_reference

MAX_STUB_BYTES = 256 * 1024  # a stub is a few kilobytes; anything larger is work


@lru_cache(maxsize=64)
def _handed_out(filename: str) -> frozenset[str]:
    """The stub's code (as an AST dump, which ignores comments and layout) as handed out, and
    as made from the reference; empty when neither can be read."""
    reference = SOLUTIONS_DIR / filename
    dumps = set()
    try:
        for text in (
            starter_text(EXERCISES_DIR / filename, reference),
            stub_from_reference(reference.read_text(encoding="utf-8")),
        ):
            dumps.add(ast.dump(ast.parse(text)))
    except (OSError, SyntaxError, ValueError):
        pass
    return frozenset(dumps)


def is_untouched_stub(data: bytes, filename: str) -> bool:
    """True when `data` is the code of exercise file `filename`'s stub as handed out (comments
    and blank lines aside)."""
    if len(data) > MAX_STUB_BYTES:
        return False
    try:
        dump = ast.dump(ast.parse(data.decode("utf-8")))
    except (SyntaxError, UnicodeDecodeError, ValueError, RecursionError, MemoryError):
        return False
    return dump in _handed_out(filename)

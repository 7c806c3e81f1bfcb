"""What a failed check's message may not do (issue 23): dump two whole records. A record is a
dict's or a state's repr (a `{...}` holding at least two `key: value` fields, or a
load_state_dict error's list of keys); one may be shown, as evidence, never two side by side."""

from __future__ import annotations

import re

_FIELD = re.compile(r"""['"][^'"\n]{1,80}['"]\s*:\s""")
_STATE_ERROR = "Error(s) in loading state_dict"


def _braced(text: str) -> list[str]:
    """Each outermost {...} of `text`, braces balanced."""
    found, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "{":
            start = index if depth == 0 else start
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                found.append(text[start : index + 1])
    return found


def record_dumps(message: str) -> list[str]:
    """The whole records a message shows: dict reprs of two or more fields, state-dict errors."""
    dicts = [b for b in _braced(message) if len(_FIELD.findall(b)) >= 2]
    states = [_STATE_ERROR] * message.count(_STATE_ERROR)
    return dicts + states

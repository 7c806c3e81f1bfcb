"""Tuples, lists and dicts compared field by field, in words: which element or entry differs, by
name ("the second element (trainable) is 650, expected 1,300"), or the pattern that the whole
value proves (two values swapped, an extra element at the end, every element shifted one place),
never two whole dumps. Each sentence is said only when the values satisfy it exactly."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import torch

from grader.checking import layer_text
from grader.checking.value_text import kind as _kind
from grader.checking.value_text import ordinal as _ordinal
from grader.checking.value_text import same as _same_within
from grader.checking.value_text import show

MAX_SCANNED = 100_000  # elements looked at in one sequence: past it, no pattern is claimed
MAX_SAID = 3  # differing elements spelled out
MAX_TEXT = 700  # characters of the whole explanation
MAX_LINES = 6  # its lines: a failed check stays short in a terminal
MAX_DEPTH = 4  # nesting followed into
_LAYER_KINDS = ("Conv2d", "MaxPool2d", "Linear")  # what layer_text names setting by setting
MAX_WORK = 200_000  # values compared for one explanation: past it, nothing is said
_work = [0]


def differences(actual: Any, expected: Any, *, fields: Sequence[str] = ()) -> str:
    """Sentences saying how `actual` differs from a container `expected` ("" when that is not a
    tuple, list or dict, when they are equal, or when nothing can be said within bounds).
    `fields` names the top-level elements, in order (("total", "trainable"))."""
    if not _container(expected):
        return ""
    _work[0] = MAX_WORK
    try:
        lines = _compare(actual, expected, "", tuple(fields), 0)
    except Exception:  # noqa: BLE001 - hostile data says nothing rather than break the check
        return ""
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], "(More differences are not shown.)"]
    text = "\n".join(lines)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3].rstrip() + "..."


def words(actual: Any, expected: Any, fields: Sequence[str], fallback: str) -> str:
    """`differences`, else `fallback`, else the two values each cut short."""
    text = differences(actual, expected, fields=fields) or fallback
    return text or f"It is {show(actual, 300)}, expected {show(expected, 300)}."


def explained(explain: Callable[[Any], str] | None, actual: Any) -> str:
    """What a check's own `explain` proves about `actual`, or "" (also when it raises)."""
    try:
        return explain(actual) if explain is not None else ""
    except Exception:  # noqa: BLE001 - an explanation that cannot be made says nothing
        return ""


def same(a: Any, e: Any) -> bool:
    return _same_within(a, e, _work)


def _container(value: Any) -> bool:
    return type(value) in (list, tuple, dict)


def _element(index: int, where: str, fields: tuple[str, ...], a: Any, e: Any) -> str:
    """How to call element `index`: "the second element (trainable)", "the third element
    ('pool1')" when both hold a record whose first item is the same name."""
    if where:
        return f"{where}, its {_ordinal(index)} item"
    label = f"the {_ordinal(index)} element"
    if index < len(fields):
        return f"{label} ({fields[index]})"
    if type(e) in (list, tuple) and type(a) in (list, tuple) and a and e:
        if type(e[0]) is str and type(a[0]) is str and a[0] == e[0]:
            return f"{label} ({show(e[0], 30)})"
    return label


def _subject(where: str) -> str:
    """The sentence's subject: "It" at the top; "the ..." capitalised; a layer's name as it is."""
    return where[:1].upper() + where[1:] if where.startswith("the ") else where or "It"


def _say(where: str, text: str) -> str:
    """`text` about the value at `where`: "The entry 'fc': ...", or alone at the top."""
    return f"{_subject(where)}: {text}" if where else text[:1].upper() + text[1:]


def _compare(a: Any, e: Any, where: str, fields: tuple[str, ...], depth: int) -> list[str]:
    if same(a, e):
        return []
    subject = _subject(where)
    if type(a) is not type(e):
        if type(a) in (list, tuple) and type(e) in (list, tuple) and same(list(a), list(e)):
            return [f"{subject} is a {type(a).__name__} where a {type(e).__name__} is expected."]
        wanted = f"a {e[0]} layer" if _is_layer(e) else _kind(e)
        return [f"{subject} is {_kind(a)}, expected {wanted}."]
    if depth >= MAX_DEPTH:
        return [f"{subject} differs: {show(a)}, expected {show(e)}."]
    layer = _layer(a, e)
    if layer:
        return [f"{subject} {layer}."]
    if type(a) in (list, tuple):
        return _sequences(a, e, where, fields, depth)
    if type(a) is dict:
        return _dicts(a, e, where, depth)
    if type(a) is torch.Tensor:
        if a.shape != e.shape:
            return [f"{subject} has shape {tuple(a.shape)}, expected {tuple(e.shape)}."]
        if a.dtype != e.dtype:
            return [f"{subject} has dtype {a.dtype}, expected {e.dtype}."]
        return [f"{subject} has different values (a tensor of shape {tuple(a.shape)})."]
    return [f"{subject} is {show(a)}, expected {show(e)}."]


def _is_layer(value: Any) -> bool:
    """A layer as `probe_tools.describe_layer` gives it: ("Conv2d", 1, 4, ...)."""
    return type(value) is tuple and bool(value) and value[0] in _LAYER_KINDS


def _layer(a: Any, e: Any) -> str:
    """Which setting of a described layer differs, or that it is another kind of layer."""
    if not _is_layer(e) or type(a) is not tuple or not a or type(a[0]) is not str:
        return ""
    if a[0] != e[0]:
        return f"is a {show(a[0], 40).strip(chr(39))} layer, expected a {e[0]}"
    differ = layer_text.differences(a, e)
    return f"has {differ}" if differ else ""


def _sequences(a: Sequence, e: Sequence, where: str, fields: tuple, depth: int) -> list[str]:
    subject = _subject(where)
    if len(a) > MAX_SCANNED or len(e) > MAX_SCANNED:
        return [f"{subject} has {len(a):,} elements, expected {len(e):,}."]
    if len(a) != len(e):
        return _lengths(a, e, subject, where, fields, depth)
    pattern = _pattern(list(a), list(e), fields)
    if pattern:
        return [_say(where, pattern)]
    column = _one_column(a, e)
    if column is not None:
        got, want = [row[column] for row in a], [row[column] for row in e]
        item = f"the {_ordinal(column)} item"
        pattern = _pattern(got, want, ())
        if pattern:
            return [_say(where, f"only {item} of each element differs: {pattern}")]
        kinds = {(type(x), type(y)) for x, y in zip(got, want)}
        if len(kinds) == 1 and all(same(list(x), list(y)) for x, y in zip(got, want)):
            ((x, y),) = kinds
            text = f"in every element, {item} is a {x.__name__} where a {y.__name__} is expected."
            return [_say(where, text)]
    wrong = [i for i in range(len(e)) if not same(a[i], e[i])]
    lines = []
    if len(wrong) > MAX_SAID:
        lines.append(_say(where, f"{len(wrong):,} of its {len(e):,} elements differ; the first:"))
    for i in wrong[:MAX_SAID]:
        lines += _compare(a[i], e[i], _element(i, where, fields, a[i], e[i]), (), depth + 1)
    return lines


def _pattern(a: list, e: list, fields: tuple) -> str:
    """A pattern the whole list proves, or ""."""
    n = len(e)
    wrong = [i for i in range(n) if not same(a[i], e[i])]
    alike = n == 2 and len(wrong) == 2 and type(a[0]) is type(e[0])
    if alike and same(a[0], a[1]) and same(e[0], e[1]):
        named = f" ({fields[0]} and {fields[1]})" if len(fields) == 2 else ""
        return f"both values{named} are {show(a[0], 40)}, expected {show(e[0], 40)}."
    if len(wrong) == 2:
        i, j = wrong
        if same(a[i], e[j]) and same(a[j], e[i]):
            if n == 2:
                return "the two values are swapped" + (
                    f" ({fields[0]} and {fields[1]})." if len(fields) == 2 else "."
                )
            names = [_element(k, "", fields, a[k], e[k]) for k in (i, j)]
            return f"{names[0]} and {names[1]} are swapped."
    if n >= 3 and len(wrong) >= 2:
        if all(same(a[k + 1], e[k]) for k in range(n - 1)):
            return (
                "each element holds what the element before it should hold (everything is one "
                f"place late; the first is {show(a[0], 40)})."
            )
        if all(same(a[k], e[k + 1]) for k in range(n - 1)):
            return (
                "each element holds what the element after it should hold (everything is one "
                f"place early; the last is {show(a[-1], 40)})."
            )
        if _multiset(a) is not None and _multiset(a) == _multiset(e):
            return "the same elements, in another order."
    numbers = all(type(x) is int for x in a + e) and n >= 3 and len(wrong) == n
    if numbers:
        offsets = {x - y for x, y in zip(a, e)}
        if len(offsets) == 1:
            (k,) = offsets
            return f"every element is {abs(k):,} {'more' if k > 0 else 'less'} than expected."
    return ""


def _multiset(items: list) -> Counter | None:
    try:
        return Counter((type(x), x) for x in items)
    except TypeError:  # unhashable items: no claim
        return None


def _one_column(a: Sequence, e: Sequence) -> int | None:
    """The only position at which the records of two equal-length lists of records differ."""
    rows = list(a) + list(e)
    if len(e) < 3 or not all(type(r) in (list, tuple) for r in rows):
        return None
    width = len(e[0])
    if width < 2 or any(len(r) != width for r in rows):
        return None
    differing = {c for x, y in zip(a, e) for c in range(width) if not same(x[c], y[c])}
    return differing.pop() if len(differing) == 1 else None


def _lengths(a: Sequence, e: Sequence, subject: str, where: str, fields, depth) -> list[str]:
    """An element added or left out (at the end, the start, or in between), or the counts."""
    n, m = len(a), len(e)
    k = abs(n - m)
    longer, shorter = (a, e) if n > m else (e, a)
    start = next((i for i in range(len(shorter)) if not same(longer[i], shorter[i])), len(shorter))
    if all(same(longer[i + k], shorter[i]) for i in range(start, len(shorter))):
        extra, noun = n > m, "item" if where else "element"
        span = ", ".join(show(x, 40) for x in longer[start : start + min(k, 3)])
        span += ", ..." if k > 3 else ""
        if extra:
            what = f"an extra {noun} {span}" if k == 1 else f"{k:,} extra {noun}s ({span})"
            at = (
                " at the end"
                if start == len(shorter)
                else " at the start"
                if start == 0
                else f" before the {_ordinal(start)} expected {noun}"
            )
        elif k == 1:
            position = "last" if start == len(shorter) else _ordinal(start)
            what, at = f"the {position} {noun} ({span}) is missing", ""
        else:
            what = f"{k:,} {noun}s ({span}) are missing"
            at = " at the end" if start == len(shorter) else f" from the {_ordinal(start)} on"
        return [_say(where, f"{what}{at}.")]
    line = f"{subject} has {n:,} elements, expected {m:,}"
    if start < len(shorter):
        inner = _compare(
            a[start], e[start], _element(start, where, fields, a[start], e[start]), (), depth + 1
        )
        return [line + "; the first difference:", *inner[:MAX_SAID]]
    return [line + "."]


def _dicts(a: dict, e: dict, where: str, depth: int) -> list[str]:
    missing = [k for k in e if k not in a]
    extra = [k for k in a if k not in e]
    lines = []
    if len(missing) == 1 and len(extra) == 1 and same(a[extra[0]], e[missing[0]]):
        lines.append(
            _say(where, f"the entry {show(missing[0], 40)} is named {show(extra[0], 40)}.")
        )
    else:
        if missing:
            names = ", ".join(show(k, 40) for k in missing[:MAX_SAID])
            lines.append(
                _say(
                    where,
                    f"the {'entry' if len(missing) == 1 else 'entries'} {names}"
                    f"{' and more' if len(missing) > MAX_SAID else ''} "
                    f"{'is' if len(missing) == 1 else 'are'} missing.",
                )
            )
        if extra:
            names = ", ".join(show(k, 40) for k in extra[:MAX_SAID])
            lines.append(
                _say(
                    where,
                    f"{'an extra entry' if len(extra) == 1 else 'extra entries'} "
                    f"{names}{' and more' if len(extra) > MAX_SAID else ''}.",
                )
            )
    wrong = [k for k in e if k in a and not same(a[k], e[k])]
    for key in wrong[:MAX_SAID]:
        if not where and type(key) is str and key.isidentifier() and _is_layer(e[key]):
            label = key  # a layer's name: "fc has out_features=3 (expected ...)"
        else:
            label = f"{where}, its entry {show(key, 40)}" if where else f"the entry {show(key, 40)}"
        lines += _compare(a[key], e[key], label, (), depth + 1)
    if len(wrong) > MAX_SAID:
        lines.append(f"({len(wrong) - MAX_SAID} more entries differ.)")
    return lines

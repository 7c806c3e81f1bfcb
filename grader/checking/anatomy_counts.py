"""A wrong count of parameters explained by a small exact search over the parts the check knows:
each layer's weight and bias, whole layers, all the biases, frozen parameters, buffers, a shared
tensor counted again. The learner's number is said to be the expected one without some parts
and/or with some extras ("your count is the total without the biases of conv1 and conv2") only
when exactly one such explanation of the smallest size fits: two that fit say nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from torch import nn

MAX_CANDIDATES = 5_000  # combinations tried in all: the search is small and bounded
MAX_CHANGES = 3  # an explanation joins at most this many changes
MAX_PARTS = 40  # parts or extras past this: no claim (the combinations would be too many)


@dataclass(frozen=True)
class Part:
    """`size` numbers of a model: `name` in words ("conv1's bias"); `group` a layer's name;
    `kind` such as "bias", so that all of one kind may be left out at once."""

    name: str
    size: int
    group: str = ""
    kind: str = ""


@dataclass(frozen=True)
class _Change:
    words: str
    removed: frozenset[int] = frozenset()
    added: frozenset[int] = frozenset()
    only: bool = False  # the count is this layer alone


def explain(
    number: Any,
    parts: Sequence[Part],
    extras: Sequence[Part] = (),
    whole: str = "the total",
    yours: str = "your count",
    most: int = MAX_CHANGES,
) -> str:
    """How `number` is made of `parts` (which add up to the right count) and `extras` (which
    should not be counted), or "" when no unique smallest explanation of at most `most` changes
    exists."""
    if type(number) is not int or len(parts) > MAX_PARTS or len(extras) > MAX_PARTS:
        return ""
    total = sum(p.size for p in parts)
    if number == total or number <= 0 or number.bit_length() > 64:
        return ""
    changes = _changes(parts, extras)
    tried = 0
    for size in range(1, most + 1):
        fits: dict[tuple, tuple[_Change, ...]] = {}
        for combo in combinations(changes, size):
            tried += 1
            if tried > MAX_CANDIDATES:
                return ""
            found = _fit(combo, number, total, parts, extras)
            if found is not None:
                fits.setdefault(found, combo)
        if len(fits) == 1:
            return _words(next(iter(fits.values())), number, whole, yours)
        if fits:
            return ""  # two explanations of the same size: ambiguity is not proof
    return ""


def _changes(parts: Sequence[Part], extras: Sequence[Part]) -> list[_Change]:
    changes = [_Change(p.name, removed=frozenset([i])) for i, p in enumerate(parts)]
    for group in dict.fromkeys(p.group for p in parts if p.group):
        members = frozenset(i for i, p in enumerate(parts) if p.group == group)
        size = sum(parts[i].size for i in members)
        if len(members) > 1:
            changes.append(_Change(f"{group}'s {size:,} parameters", removed=members))
        rest = frozenset(range(len(parts))) - members
        if rest:
            changes.append(_Change(f"{group}'s {size:,} parameters", removed=rest, only=True))
    for kind in dict.fromkeys(p.kind for p in parts if p.kind):
        members = frozenset(i for i, p in enumerate(parts) if p.kind == kind)
        if len(members) > 1:
            plural = f"{kind}es" if kind.endswith("s") else f"{kind}s"
            changes.append(_Change(f"all the {plural}", removed=members))
    changes += [_Change(x.name, added=frozenset([i])) for i, x in enumerate(extras)]
    for group in dict.fromkeys(x.group for x in extras if x.group):
        members = frozenset(i for i, x in enumerate(extras) if x.group == group)
        if len(members) > 1:
            changes.append(_Change(group, added=members))
    return changes


def _fit(combo: tuple[_Change, ...], number: int, total: int, parts, extras) -> tuple | None:
    """The parts left out and extras added by `combo` when they make `number` exactly."""
    removed: set[int] = set()
    added: set[int] = set()
    for change in combo:
        if removed & change.removed or added & change.added:
            return None  # a part left out twice, or an extra added twice
        if change.only and len(combo) > 1:
            return None  # "only fc1" stands alone
        removed |= change.removed
        added |= change.added
    value = total - sum(parts[i].size for i in removed) + sum(extras[i].size for i in added)
    if value != number or len(removed) == len(parts):
        return None
    return frozenset(removed), frozenset(added)


def _words(combo: tuple[_Change, ...], number: int, whole: str, yours: str) -> str:
    if combo[0].only:
        return f"{yours}, {number:,}, is only {combo[0].words}."
    left_out = [c.words for c in combo if c.removed]
    counted = [c.words for c in combo if c.added]
    said = []
    if left_out:
        said.append(f"{whole} without {_join(left_out)}")
    if counted:
        said.append(f"{'' if left_out else whole + ', '}also counting {_join(counted)}")
    return f"{yours}, {number:,}, is " + ", ".join(said) + "."


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def pair_explainer(model: nn.Module) -> Callable[[Any], str]:
    """For a count pair (total, trainable): each wrong number explained from `model`'s
    parts; silent on two swapped values (the comparison says that)."""
    parts, trainable, frozen, extras = parts_of(model)
    right = (sum(p.size for p in parts), sum(p.size for p in trainable))

    def explain_pair(answer: Any) -> str:
        if type(answer) is not tuple or len(answer) != 2 or answer == right[::-1]:
            return ""
        if right[0] == right[1] and answer[0] == answer[1]:  # nothing frozen: one cause, once
            whole, yours = "the right count", "each of your two numbers"
            return explain(answer[0], parts, extras, whole, yours)
        said = [  # one change each: two joined to fit one number are too easily a coincidence
            explain(answer[0], parts, extras, "the total", "your total", most=1),
            explain(
                answer[1],
                trainable,
                [*frozen, *extras],
                "the trainable count",
                "your trainable count",
                most=1,
            ),
        ]
        kept = [s for s, n, r in zip(said, answer, right) if s and n != r]
        return " ".join(kept[:1] + [s[:1].upper() + s[1:] for s in kept[1:]])

    return explain_pair


def parts_of(model: nn.Module) -> tuple[list[Part], list[Part], list[Part], list[Part]]:
    """A model's parameters as parts (each counted once), the trainable and the frozen ones
    among them, and the extras a wrong count may hold: buffers, a shared tensor reached again."""
    labels = {name: _label(model, name, module) for name, module in model.named_modules()}
    parts, trainable, frozen, extras = [], [], [], []
    seen: set[int] = set()
    for name, p in model.named_parameters(remove_duplicate=False):
        owner, _, leaf = name.rpartition(".")
        label = labels.get(owner, owner or "the model")
        if id(p) in seen:
            extras.append(Part(f"the shared {name} a second time", p.numel()))
            continue
        seen.add(id(p))
        part = Part(f"{label}'s {leaf}", p.numel(), label, leaf)
        parts.append(part)
        if p.requires_grad:
            trainable.append(part)
        else:
            frozen.append(Part(f"{label}'s frozen {leaf}", p.numel(), "the frozen parameters"))
    buffers = [(*n.rpartition("."), b) for n, b in model.named_buffers() if b is not None]
    group = "the buffers (" + ", ".join(leaf for _, _, leaf, _ in buffers[:3]) + ")"
    for owner, _, leaf, b in buffers:
        extras.append(Part(f"{labels.get(owner, 'the model')}'s buffer {leaf}", b.numel(), group))
    return parts, trainable, frozen, extras


def _label(model: nn.Module, name: str, module: nn.Module) -> str:
    """A layer's name for a learner: its attribute name, or "the Linear" / "Linear 2" in an
    nn.Sequential (where the name is a number)."""
    if not name.rpartition(".")[2].isdigit():
        return name
    kind = type(module).__name__
    alike = [m for m in model.modules() if type(m) is type(module)]
    return f"the {kind}" if len(alike) == 1 else f"{kind} {name}"


def explain_formula(
    number: Any,
    factors: dict[str, int],
    terms: dict[str, tuple[str, ...]],
    absent: dict[str, tuple[str, ...]] | None = None,
    others: Iterable[tuple[Any, dict, dict, dict]] | None = None,
) -> str:
    """A count from a formula (`terms`: products of named `factors` that add up to the right
    count; `absent`: terms that must not be counted) explained by one change: a term left out
    or counted although absent, a factor left out of a term or put in place of another. Said
    only when exactly one change makes `number` and, given `others` (the learner's count on
    other inputs, with their factors, terms and absent terms), makes the learner's count on
    some other input that tells it apart, and on every one: one number is matched by unrelated
    slips too easily (37 for (1, 4, 3) is the biases counted with in_channels, and also a bias
    of 1); of several changes that make `number`, the one the other inputs confirm is said."""
    if type(number) is not int or number.bit_length() > 64 or len(factors) > 8:
        return ""
    fits = [w for w, value in _formula_changes(factors, terms, absent).items() if value == number]
    right = sum(_product(factors, names) for names in terms.values())
    if not fits or number == right:
        return ""
    if others is not None:  # two changes that make this number: the other inputs may tell them
        others = list(others)  # apart (the same change on every input that separates it)
        fits = [words for words in fits if _same_change_elsewhere(words, others)]
    if len(fits) != 1:
        return ""
    return f"your count, {number:,}: {fits[0]}."


def one_change_counts(
    factors: dict[str, int],
    terms: dict[str, tuple[str, ...]],
    absent: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, int]:
    """{a change of the formula, in words: the count it makes}: every slip explain_formula
    knows, for a rival explanation to test against."""
    return _formula_changes(factors, terms, absent)


def _same_change_elsewhere(words: str, others: Iterable[tuple[Any, dict, dict, dict]]) -> bool:
    shown = 0
    for number, factors, terms, absent in others:
        if len(factors) > 8:
            return False
        value = _formula_changes(factors, terms, absent).get(words)
        right = sum(_product(factors, names) for names in terms.values())
        if value is None or value == right:
            continue  # this input does not tell the change apart
        if type(number) is not int or number != value:
            return False
        shown += 1
    return shown > 0


def _product(factors: dict[str, int], names: Sequence[str]) -> int:
    value = 1
    for name in names:
        value *= factors[name]
    return value


def _formula_changes(
    factors: dict[str, int],
    terms: dict[str, tuple[str, ...]],
    absent: dict[str, tuple[str, ...]] | None,
) -> dict[str, int]:
    """{one change, in words: the count it makes}."""

    def product(names: Sequence[str]) -> int:
        value = 1
        for name in names:
            value *= factors[name]
        return value

    values = {term: product(names) for term, names in terms.items()}
    right = sum(values.values())
    candidates: dict[str, int] = {}
    for term, names in terms.items():
        rest = right - values[term]
        candidates[f"{term} are missing"] = rest
        candidates[f"{term} are counted twice"] = right + values[term]
        for i, name in enumerate(names):
            others = names[:i] + names[i + 1 :]
            candidates[f"{name} is missing from {term}"] = rest + product(others)
            for other in factors:
                if other != name:
                    candidates[f"{term} use {other} where {name} belongs"] = rest + product(
                        (*others, other)
                    )
    for term, names in (absent or {}).items():
        candidates[f"{term} are counted although they should not be"] = right + product(names)
    return candidates

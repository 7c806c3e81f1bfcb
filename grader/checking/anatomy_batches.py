"""A number over a loader's batches (an accuracy, a mean loss) made of the batches' parts the
wrong way: one batch only, the total over the number of batches or the batch size, the batch
ratios summed, every batch but the last, or the count never divided. A single number is matched
by unrelated slips too easily, so a way is named only when it also gives the learner's answer on
the same samples grouped into other batches (`confirm`), where it gives another number, and when
exactly one way does so on both. A total of counts (a confusion matrix) over only some of the
batches is said by its many values alone (`counted_batches`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import torch

from grader.checking.compare import Mistake, looks_like

Parts = Sequence[tuple[float, int]]  # per batch: (the sum of what is averaged, its samples)


def regroup(images: torch.Tensor, labels: torch.Tensor, sizes: Sequence[int]) -> list[tuple]:
    """The same samples in batches of `sizes`, in order."""
    starts = [sum(sizes[:i]) for i in range(len(sizes))]
    return [(images[a : a + n], labels[a : a + n]) for a, n in zip(starts, sizes)]


def batch_sizes(size: int, batch_size: int) -> list[int]:
    """The batch sizes a DataLoader without drop_last gives."""
    return [min(batch_size, size - start) for start in range(0, size, batch_size)]


def one_batch_size(runs: Sequence[tuple[int, int, Any]]) -> int | None:
    """The one batch size, other than each run's asked one, that gives every run's batch sizes
    (runs of (samples, asked batch size, sizes)); None when none or several fit (one batch of
    all samples fits every size from there up, so it proves none)."""
    largest = max(n for n, _, _ in runs) + 1
    fits = [
        b
        for b in range(1, largest + 1)
        if all(b != asked and batch_sizes(n, b) == sizes for n, asked, sizes in runs)
    ]
    return fits[0] if len(fits) == 1 else None


def confusion_counts(model: Callable, batches: Sequence[tuple], classes: int = 10) -> list:
    """Each batch's (classes, classes) counts of [label, prediction] for `model`."""
    with torch.no_grad():
        return [
            torch.bincount(y * classes + model(x).argmax(1), minlength=classes**2).view(
                classes, classes
            )
            for x, y in batches
        ]


def _ways(parts: Parts, scale: float) -> dict[str, tuple[float, str]]:
    """Each wrong way's value on `parts` and its words, which quote only the batches' sizes (a
    hidden check's mistake quotes no value of its inputs). The right way: the total over all
    samples."""
    total, samples, batches = sum(c for c, _ in parts), sum(n for _, n in parts), len(parts)
    (first, first_n), (last, last_n) = parts[0], parts[-1]
    ways = {
        "first": (
            scale * first / first_n,
            f"the first batch's alone ({first_n} samples of {samples}): only the first batch is "
            "counted, as a return or break inside the loop gives (or next(iter(loader)) "
            "in place of the loop)",
        ),
        "last": (
            scale * last / last_n,
            f"the last batch's alone ({last_n} samples of {samples}): only the last batch is "
            "counted, as counts reset inside the loop give",
        ),
        "batches": (
            scale * total / batches,
            f"the total divided by the number of batches ({batches}), not of samples "
            f"({samples}): divide by the samples counted (the sum of the batch sizes), not "
            "len(loader)",
        ),
        "batch_size": (
            scale * total / first_n,
            f"the total divided by the batch size ({first_n}), not by the number of samples "
            f"({samples})",
        ),
        "summed": (
            sum(scale * c / n for c, n in parts),
            f"the {batches} batches' own values summed: count over all batches, then divide once",
        ),
        "count": (
            total,
            f"the total, never divided by the number of samples ({samples})",
        ),
        # a count of samples one off: a rival of a way over all but a last batch of one sample
        # (a total over 12 of 13 samples was 'every batch but the last' on 4, 4, 4, 1)
        "fewer": (
            scale * total / (samples - 1) if samples > 1 else math.nan,
            f"the total divided by {samples - 1}, one fewer than the {samples} samples",
        ),
        "more": (
            scale * total / (samples + 1),
            f"the total divided by {samples + 1}, one more than the {samples} samples",
        ),
        "mean": (  # one number alone met it by chance (a total over 12 samples of 13)
            sum(scale * c / n for c, n in parts) / batches,
            f"what averages the batches' own values ({batches} batches) gives, which "
            "over-weights a smaller last batch: count over all batches, then divide once",
        ),
    }
    if batches > 1:
        rest = parts[:-1]
        ways["but_last"] = (
            scale * sum(c for c, _ in rest) / sum(n for _, n in rest),
            "over every batch but the last: the loop leaves the last batch out",
        )
    return ways


def _close(a: Any, b: float) -> bool:
    if type(a) not in (int, float) or not math.isfinite(a):
        return False
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-9)  # float32 sums and means


class Aggregated:
    """The mistake "the answer is the batches' parts put together another way", matched only
    when exactly one way gives the answer on `parts` and, on `other_parts` (the same samples in
    other batches), gives the learner's answer there, `confirm()`, and a number other than the
    right one. Used like a `Mistake` (`matches`, then `message`)."""

    def __init__(
        self,
        parts: Parts,
        other_parts: Parts,
        confirm: Callable[[], Any],
        *,
        what: str,
        scale: float = 100.0,
    ) -> None:
        self.parts, self.other_parts, self.confirm = list(parts), list(other_parts), confirm
        self.what, self.scale = what, scale
        self.words = ""

    def _right(self, parts: Parts) -> float:
        return self.scale * sum(c for c, _ in parts) / sum(n for _, n in parts)

    def matches(self, answer: Any) -> bool:
        self.words = ""
        right, ways = self._right(self.parts), _ways(self.parts, self.scale)
        if _close(answer, right):
            return False
        hits = [k for k, (value, _) in ways.items() if not _close(value, right)]
        hits = [k for k in hits if _close(answer, ways[k][0])]
        if not hits:
            return False
        other_right, others = self._right(self.other_parts), _ways(self.other_parts, self.scale)
        hits = [k for k in hits if k in others and not _close(others[k][0], other_right)]
        if not hits:
            return False
        try:
            there = self.confirm()
        except Exception:  # noqa: BLE001 - the learner's refusal confirms nothing
            return False
        hits = [k for k in hits if _close(there, others[k][0]) and self._told(ways[k], others[k])]
        if len(hits) == 1:  # two ways giving both answers alike: neither is proven
            self.words = ways[hits[0]][1]
        return bool(self.words)

    def _told(self, here: tuple[float, str], there: tuple[float, str]) -> bool:
        """A way the regrouping leaves at the same number is proven by that number alone, and
        all or none (0, or the whole scale) has too many causes: counts + 2 of 13 were 100 %,
        the last batch's alone on both groupings."""
        return not (
            _close(here[0], there[0]) and any(_close(here[0], x) for x in (0.0, self.scale))
        )

    @property
    def message(self) -> str:
        if not self.words:
            return ""
        return f"{self.what}, here and on the same samples in other batches, is {self.words}."


def counted_batches(each: Sequence[torch.Tensor]) -> list[Mistake]:
    """A total of non-negative counts over the batches (a confusion matrix), counted over only
    some of them: one mistake per proper subset of the batches, its sum. Every batch adds a
    count, so no two subsets give the same total, and a match says which batches were counted."""
    found, last = [], len(each) - 1
    for mask in range(1, 2 ** len(each) - 1):
        chosen = [i for i in range(len(each)) if mask >> i & 1]
        if chosen == [0]:
            words = "only the first batch is counted, as a return inside the loop gives."
        elif chosen == [last]:
            words = "only the last batch is counted, as a total made anew inside the loop gives."
        elif chosen == list(range(last)):
            words = "every batch but the last is counted: the loop leaves the last batch out."
        else:
            words = (
                f"only batches {', '.join(str(i + 1) for i in chosen)} of {last + 1} are counted."
            )
        found.append(looks_like(sum(each[i] for i in chosen), words))
    return found

"""Expected values for the checks, in the pytest process: computed, recorded or replayed.

Every value a check derives from a reference solution or an oracle (what correct code gives, and
what a classic mistake gives) goes through `Expected`, under a name and with the inputs it is
computed from:

- compute (the full project): `compute()` is called, as the checks always did;
- record (`grader export student`): computed too, and kept with its inputs, to be written to
  `checks/expected/<id>.pt` in a handout;
- replay (a handout: no solutions/): looked up by name among the recorded entries whose inputs
  are the same (tensors compared with a tolerance, so a machine whose random numbers differ in
  the last bit still finds them). A value that was not recorded is never guessed: an expected
  value fails the check as "not available in this handout"; `optional` (a diagnosis) gives None.

The files hold plain tensors, lists, dicts and numbers, loaded with `weights_only=True`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from grader.checking.compare import CheckFailure
from grader.checking.expected_memo import computed_once

COMPUTE, RECORD, REPLAY = "compute", "record", "replay"
NOT_AVAILABLE = (
    "The expected value for this check is not available in this handout: it was recorded for "
    "the inputs the instructor's export saw, and these differ."
)


class Expected:
    """The expected values of one exercise's checks (one per check module)."""

    def __init__(self, mode: str, file: Path | None = None, scope: tuple | None = None) -> None:
        self.mode, self.file = mode, file
        self.scope = scope  # computing: reuse what this process computed before for this scope
        self.entries: dict[str, list[tuple[Any, Any]]] = {}
        if mode != COMPUTE and file is not None and file.is_file():
            self.entries = torch.load(file, weights_only=True)

    def __call__(self, name: str, compute: Callable[[], Any], *inputs: Any) -> Any:
        """The value `compute()` gives for `inputs`; a check fails when a handout lacks it."""
        found = self.optional(name, compute, *inputs)
        if found is None and self.mode == REPLAY:
            raise CheckFailure(NOT_AVAILABLE)
        return found

    def optional(self, name: str, compute: Callable[[], Any], *inputs: Any) -> Any:
        """As calling it, but None when a handout lacks the value (a diagnosis left out)."""
        if self.mode == REPLAY:
            return self._lookup(name, inputs)
        with torch.random.fork_rng(devices=[]):  # as in a handout, where compute() never runs
            if self.mode == COMPUTE and self.scope is not None:
                value = computed_once(self.scope, name, compute, inputs)
            else:
                value = compute()
        if self.mode == RECORD:
            plain = _plain(value)
            if self._lookup(name, inputs) is None:
                self.entries.setdefault(name, []).append((_plain(inputs), plain))
        return value

    def recorded_state(self, name: str, prefix: tuple, state: Any, images: Any) -> tuple[Any, Any]:
        """For a handout that never saw this learner's parameters (`state`: their model made its
        layers in another order, say): a recorded state of the same names and shapes, for the
        same `prefix` and `images`, and its value, to run the learner's model on instead. A check
        fails as "not available" when there is none."""
        for inputs, value in self.entries.get(name, []) if self.mode == REPLAY else []:
            *fixed, recorded, recorded_images = inputs
            if (
                same(tuple(fixed), _plain(prefix))
                and same(recorded_images, _plain(images))
                and _shapes(recorded) == _shapes(state)
            ):
                return recorded, value
        raise CheckFailure(NOT_AVAILABLE)

    def _lookup(self, name: str, inputs: tuple) -> Any:
        wanted = _plain(inputs)
        for recorded, value in self.entries.get(name, []):
            if same(recorded, wanted):
                return value
        return None

    def save(self) -> None:
        if self.mode == RECORD and self.file is not None:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            torch.save(self.entries, self.file)


def _plain(value: Any) -> Any:
    """The value as torch.load(weights_only=True) reads it back: tensors detached and cloned,
    tuples as tuples, torch.Size as a tuple, anything else as it is (numbers, strings, None)."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = [_plain(v) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    raise TypeError(f"an expected value must be plain data, not {type(value).__name__}")


def _shapes(state: Any) -> dict | None:
    if not isinstance(state, dict):
        return None
    return {
        k: (tuple(v.shape), v.dtype) if isinstance(v, torch.Tensor) else v for k, v in state.items()
    }


def same(a: Any, b: Any) -> bool:
    """Two recorded inputs are the same: equal structure, equal numbers (floats within 1e-5)."""
    if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
        if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)):
            return False
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        if a.dtype.is_floating_point:
            return bool(torch.allclose(a, b, rtol=1e-5, atol=1e-6, equal_nan=True))
        return bool(torch.equal(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9) or (math.isnan(a) and math.isnan(b))
    return type(a) is type(b) and a == b

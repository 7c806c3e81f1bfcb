"""bench/mutants.py: each operator makes the one change it names, once per site, and never a
mutant that is the original or another mutant again."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("mutants", ROOT / "bench" / "mutants.py")
mutants = importlib.util.module_from_spec(spec)
sys.modules["mutants"] = mutants  # dataclasses look their module up there
spec.loader.exec_module(mutants)

SOURCE = '''
def f(model, x, n=1):
    """A docstring is not mutated."""
    model.train()
    if x.dim() != 2 or n < 0:
        raise ValueError(f"bad {n}")
    return x[n : n + 2].sum(dim=0) * 3
'''


def test_each_operator_makes_the_change_it_names():
    found = {m.change: m.source for m in mutants.mutants_of(SOURCE)}
    assert "Mult -> Div" in found and "x[n:n + 2].sum(dim=0) / 3" in found["Mult -> Div"]
    assert "model.train()" not in found["statement deleted: model.train()"]
    assert "x.dim() == 2" in found["NotEq -> Eq"]
    assert "x.dim() != 2 and n < 0" in found["Or -> And"]
    assert "sum()" in found["keyword dim= dropped"]
    assert "return None" in found["return value -> None"]
    assert "x[n + 1:n + 2]" in found["slice lower bound Add 1"]
    assert "n=2" in found["1 -> 2"] and "n=0" in found["1 -> 0"]
    assert "pass" in found["statement deleted: raise ValueError(f'bad {n}')"]


def test_strings_are_never_mutated_and_no_mutant_repeats():
    found = mutants.mutants_of(SOURCE)
    sources = [m.source for m in found]
    assert len(sources) == len(set(sources)) > 20
    assert all("A docstring is not mutated." in s for s in sources)
    assert all("bad {n}" in m.source for m in found if not m.change.startswith("statement"))


def test_every_reference_has_mutants():
    for path in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.py")):
        assert len(mutants.mutants_of(path.read_text())) >= 30, path.name

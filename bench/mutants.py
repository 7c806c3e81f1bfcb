"""Mutation testing of the references in solutions/: does every check catch a changed reference?

Usage: python bench/mutants.py [--only ID ...] [--sample N] [--workers 2] [--work DIR]

Each mutant is one small AST change of a reference (an operator swapped, a comparison flipped, a
constant moved, arguments swapped, a keyword dropped, a statement deleted, a return replaced, a
slice bound moved). All mutants of one exercise are written as the students of one batch folder and
graded by one `grader grade BATCH --only ID`; a mutant is caught when it earns fewer than full
points. Survivors are printed with their line and change, for docs/mutation.md.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SWAP_BINOP = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div, ast.Pow: ast.Mult, ast.Mod: ast.FloorDiv,
}  # fmt: skip
SWAP_CMP = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In,
}  # fmt: skip


@dataclass
class Mutant:
    line: int
    change: str
    source: str


class _Mutator(ast.NodeTransformer):
    """Counts mutation sites in walk order; applies only the one numbered `target` (-1: none)."""

    def __init__(self, target: int) -> None:
        self.target, self.seen, self.change, self.line = target, 0, "", 0

    def _site(self, node: ast.AST, change: str) -> bool:
        hit = self.seen == self.target
        self.seen += 1
        if hit:
            self.change, self.line = change, getattr(node, "lineno", 0)
        return hit

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        new = SWAP_BINOP.get(type(node.op))
        if new and self._site(node, f"{type(node.op).__name__} -> {new.__name__}"):
            node.op = new()
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        new = SWAP_BINOP.get(type(node.op))
        if new and self._site(node, f"{type(node.op).__name__}= -> {new.__name__}="):
            node.op = new()
        if self._site(node, "augmented assignment -> plain assignment"):
            return ast.Assign(targets=[node.target], value=node.value, lineno=node.lineno)
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.USub | ast.Not) and self._site(node, "unary operator dropped"):
            return node.operand
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self.generic_visit(node)
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        if self._site(node, f"{type(node.op).__name__} -> {new.__name__}"):
            node.op = new()
        return node

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        for i, op in enumerate(node.ops):
            new = SWAP_CMP.get(type(op))
            if new and self._site(node, f"{type(op).__name__} -> {new.__name__}"):
                node.ops[i] = new()
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, bool):
            if self._site(node, f"{value} -> {not value}"):
                return ast.Constant(not value)
        elif isinstance(value, int | float):
            options = {value + 1, value - 1} | (
                {0, 1, 2} - {value} if value in (0, 1, 2) else set()
            )
            for new in sorted(options):
                if self._site(node, f"{value!r} -> {new!r}"):
                    return ast.Constant(type(value)(new))
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if len(node.args) >= 2 and self._site(node, "first two positional arguments swapped"):
            node.args[0], node.args[1] = node.args[1], node.args[0]
        for i, kw in enumerate(node.keywords):
            if kw.arg and self._site(node, f"keyword {kw.arg}= dropped"):
                del node.keywords[i]
                break
        return node

    def visit_Slice(self, node: ast.Slice) -> ast.AST:
        self.generic_visit(node)
        for bound in ("lower", "upper"):
            value = getattr(node, bound)
            for op in (ast.Add, ast.Sub):
                if value is not None and self._site(node, f"slice {bound} bound {op.__name__} 1"):
                    setattr(node, bound, ast.BinOp(value, op(), ast.Constant(1)))
        return node

    def visit_Return(self, node: ast.Return) -> ast.AST:
        self.generic_visit(node)
        if node.value is not None and self._site(node, "return value -> None"):
            node.value = ast.Constant(None)
        return node

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        # string constants (docstrings, messages) carry no behaviour: they are not mutated
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return node
        return self._statement(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        return node  # error message text

    def _statement(self, node: ast.stmt) -> ast.AST:
        self.generic_visit(node)
        if self._site(node, f"statement deleted: {ast.unparse(node).splitlines()[0][:60]}"):
            return ast.Pass(lineno=node.lineno)
        return node

    visit_Assign = _statement
    visit_If = _statement
    visit_For = _statement
    visit_Raise = _statement

    def visit_Import(self, node: ast.AST) -> ast.AST:
        return node

    visit_ImportFrom = visit_Import


def mutants_of(source: str) -> list[Mutant]:
    """Every single-site mutant of `source` that differs from it, deduplicated by source text."""
    tree = ast.parse(source)
    counter = _Mutator(-1)
    counter.visit(copy.deepcopy(tree))
    original, seen, out = ast.unparse(tree), set(), []
    for k in range(counter.seen):
        mutator = _Mutator(k)
        mutated = ast.fix_missing_locations(mutator.visit(copy.deepcopy(tree)))
        text = ast.unparse(mutated)
        if text != original and text not in seen:
            seen.add(text)
            out.append(Mutant(mutator.line, mutator.change, text + "\n"))
    return out


def run_exercise(
    stem: str, work: Path, workers: int, sample: int | None, seed: int
) -> dict[str, object]:
    exercise_id = stem.split("_", 1)[1]
    mutants = mutants_of((ROOT / "solutions" / f"{stem}.py").read_text())
    numbered = list(enumerate(mutants, 1))
    if sample is not None and sample < len(numbered):
        numbered = sorted(random.Random(seed).sample(numbered, sample))
    batch, out = work / stem / "batch", work / stem / "out"
    shutil.rmtree(work / stem, ignore_errors=True)
    for n, mutant in numbered:
        (batch / f"m{n:04d}").mkdir(parents=True)
        (batch / f"m{n:04d}" / f"{stem}.py").write_text(mutant.source)
    (batch / "reference").mkdir()
    shutil.copy(ROOT / "solutions" / f"{stem}.py", batch / "reference" / f"{stem}.py")
    grader = [sys.executable, "-m", "grader", "grade", str(batch), "--out", str(out)]
    grader += ["--only", exercise_id, "--workers", str(workers), "--no-review"]
    subprocess.run(grader, check=False, capture_output=True)
    rows = json.loads((out / "grades.json").read_text())["students"]
    scores = {row["student"]: row["exercises"][exercise_id] for row in rows}
    reference = scores["reference"]
    if reference["score"] != reference["max_score"]:
        raise SystemExit(f"{stem}: the reference earns {reference['score']}, not full points")
    survivors = [
        {"id": f"m{n:04d}", "line": m.line, "change": m.change}
        for n, m in numbered
        if scores[f"m{n:04d}"]["score"] >= scores[f"m{n:04d}"]["max_score"]
    ]
    return {"exercise": stem, "all": len(mutants), "graded": len(numbered), "survivors": survivors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="exercise stem, e.g. 01_edge_filter")
    parser.add_argument("--sample", type=int, help="grade only N mutants (drawn with --seed)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/mutants"))
    parser.add_argument("--list", action="store_true", help="print the mutants, grade nothing")
    args = parser.parse_args()
    stems = args.only or sorted(p.stem for p in (ROOT / "solutions").glob("[0-9][0-9]_*.py"))
    for stem in stems:
        if args.list:
            for n, m in enumerate(mutants_of((ROOT / "solutions" / f"{stem}.py").read_text()), 1):
                print(f"{stem} m{n:04d} line {m.line}: {m.change}")
            continue
        result = run_exercise(stem, args.work, args.workers, args.sample, args.seed)
        caught = result["graded"] - len(result["survivors"])
        print(f"{stem}: {result['all']} mutants, {result['graded']} graded, {caught} caught")
        for s in result["survivors"]:
            print(f"  survivor {s['id']} line {s['line']}: {s['change']}")
        (args.work / stem / "result.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

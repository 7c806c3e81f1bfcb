"""Every sentence a check can name as a "Likely mistake", found in the source (checks/ and
grader/checking/), with the kind of proof its predicate rests on:

- "reproduced": the predicate compares the answer's values with a value the mistake computes
  (`a == wrong`, `same_state(a, flipped)`, `abs(a - x) < tol`); `looks_like`, `reproduced` and
  `integer_division` are reproductions by construction;
- "observed": the predicate reads only what the answer is (its type, shape, dtype, None), so the
  sentence may say only that, never a cause;
- "given": the predicate ignores the answer (`lambda a: True`): the check's own comparison is the
  observation, and the sentence may say only what that comparison shows."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("checks", "grader/checking")
# constructors whose mistake is the answer the mistake itself computes
BY_CONSTRUCTION = {
    "looks_like", "reproduced", "Reproduced", "integer_division", "SizeSlip", "ProductSlip",
    "Aggregated",
}  # fmt: skip
# functions that compare their first argument's values with a computed value
VALUE_COMPARES = {"same_state", "_same", "_close", "_close_to", "allclose", "equal", "isclose"}
# the answer differs from the spec's structure, a fact the sentence may state with the spec
OBSERVING = {"type", "isinstance", "len", "getattr", "_inputs_differ"}
OBSERVED_ATTRIBUTES = {"shape", "dtype", "dim", "ndim", "type_name"}


@dataclass(frozen=True)
class Advice:
    path: str
    line: int
    constructor: str
    proof: str  # "reproduced", "observed", "given" or "" (none found)
    message: str

    @property
    def key(self) -> str:
        return f"{self.path}: {self.message[:60]}"


def _name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _mentions(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))


def _values_of(node: ast.AST, answer: set[str]) -> bool:
    """`node` is the answer's values (a, a[0], a * 100, abs(a - x), sorted(a)), not only what
    kind of thing it is (a.shape, type(a))."""
    if isinstance(node, ast.Name):
        return node.id in answer
    if isinstance(node, ast.Subscript):
        return _values_of(node.value, answer)
    if isinstance(node, ast.BinOp):
        return _values_of(node.left, answer) or _values_of(node.right, answer)
    if isinstance(node, ast.UnaryOp):
        return _values_of(node.operand, answer)
    if isinstance(node, ast.Call) and _name(node) in {"abs", "sorted", "list", "tuple", "float"}:
        return any(_values_of(arg, answer) for arg in node.args)
    if isinstance(node, (ast.Dict, ast.DictComp)):  # {name: a[name] ...}: the answer's values
        return any(_values_of(part, answer) for part in ast.walk(node) if part is not node)
    return False


def _proof(body: ast.AST, answer: set[str], functions: dict | None = None, depth: int = 0) -> str:
    if not _mentions(body, answer):
        return "given"
    for node in ast.walk(body):
        # a helper of the same file given the answer: its own body, with that parameter
        helper = (functions or {}).get(_name(node)) if isinstance(node, ast.Call) else None
        if helper is not None and depth < 3:
            for index, arg in enumerate(node.args[: len(helper.args.args)]):
                if isinstance(arg, ast.Name) and arg.id in answer:
                    inner = {helper.args.args[index].arg}
                    if _proof(helper, inner, functions, depth + 1) == "reproduced":
                        return "reproduced"
        if isinstance(node, ast.Compare):
            ops_ok = all(isinstance(op, (ast.Eq, ast.In, ast.Lt, ast.LtE)) for op in node.ops)
            sides = [node.left, *node.comparators]
            if ops_ok and any(_values_of(side, answer) for side in sides):
                return "reproduced"
        if isinstance(node, ast.Call) and _name(node) in VALUE_COMPARES:
            if any(_values_of(arg, answer) for arg in node.args):
                return "reproduced"
    return "observed" if _only_observes(body, answer) else ""


def _only_observes(body: ast.AST, answer: set[str]) -> bool:
    """Each use of the answer is inside type(), isinstance(), len(), `is None` or .shape/.dtype."""
    allowed: set[int] = set()
    for node in ast.walk(body):
        inside = []
        if isinstance(node, ast.Call) and _name(node) in OBSERVING:
            inside = node.args
        elif isinstance(node, ast.Attribute) and node.attr in OBSERVED_ATTRIBUTES:
            inside = [node.value]
        elif isinstance(node, ast.Compare) and all(
            isinstance(op, (ast.Is, ast.IsNot, ast.NotEq)) for op in node.ops
        ):
            inside = [node.left, *node.comparators]
        elif isinstance(node, ast.comprehension):  # `for _, s in a`: s is a part of the answer
            inside = [node.iter]
        for part in inside:
            allowed.update(id(n) for n in ast.walk(part))
    uses = [n for n in ast.walk(body) if isinstance(n, ast.Name) and n.id in answer]
    return all(id(n) in allowed for n in uses)


def _message(node: ast.AST | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp):
        return _message(node.left) + _message(node.right)
    return ast.unparse(node)


def _named_mistake(call: ast.Call) -> ast.AST | None:
    """A failure's third argument (`mistake`), when it is words the check wrote (not a mistake
    passed on from another producer, such as a variable)."""
    given = call.args[2] if len(call.args) >= 3 else None
    for keyword in call.keywords:
        if keyword.arg == "mistake":
            given = keyword.value
    if isinstance(given, (ast.Constant, ast.JoinedStr, ast.BinOp, ast.Call)):
        return given
    return None


def _predicate(call: ast.Call, functions: dict[str, ast.FunctionDef]) -> tuple[ast.AST, set]:
    pred = call.args[0]
    if isinstance(pred, ast.Lambda):
        return pred.body, {pred.args.args[0].arg} if pred.args.args else set()
    if isinstance(pred, ast.Name) and pred.id in functions:
        fn = functions[pred.id]
        return fn, {fn.args.args[0].arg}
    return pred, set()


def advice_in(path: Path) -> list[Advice]:
    tree = ast.parse(path.read_text())
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    found = []
    relative = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        if name in BY_CONSTRUCTION:
            message = _message(node.args[1] if len(node.args) > 1 else None)
            found.append(Advice(relative, node.lineno, name, "reproduced", message))
        elif name in ("fail", "CheckFailure") and _named_mistake(node) is not None:
            # a failure that names a mistake: its proof is the check's own test before it
            message = _message(_named_mistake(node))
            found.append(Advice(relative, node.lineno, name, "given", message))
        elif name == "when" and node.args:
            body, answer = _predicate(node, functions)
            proof = _proof(body, answer, functions) if answer else ""
            message = _message(node.args[1] if len(node.args) > 1 else None)
            found.append(Advice(relative, node.lineno, name, proof, message))
    return found


def all_advice() -> list[Advice]:
    found = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name in {"compare.py", "compare_state.py"}:  # the constructors themselves
                continue
            found.extend(advice_in(path))
    return found

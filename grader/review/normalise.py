"""A file's syntax tree with what padding can add taken out, for the similarity pass: statements
without effect (bare constants and names, docstrings, `pass`), dead stores (`_ = 0`: a name never
read), code after `return`/`raise`/`break`/`continue` and under `if False:`, top-level functions
that nothing calls; `x += y` as `x = x + y`, an append or sum loop as its comprehension, list and
set comprehensions as generators; imports out, top-level definitions (and methods) in a
canonical order that names do not change. The result is source text, which the token filter
(grader/review/tokens.py) then strips of names. A file that does not parse comes back as is."""

from __future__ import annotations

import ast
import copy

from grader.review.tokens import filtered

_JUMPS = (ast.Return, ast.Raise, ast.Continue, ast.Break)
_EFFECTS = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_IMPORTS = (ast.Import, ast.ImportFrom)


def normalised(text: str, keep: frozenset[str] | None = None) -> str:
    """`text` normalised; `keep`: top-level names that stay even if unused (the exercise's API;
    None: every definition stays)."""
    try:
        tree = ast.parse(text)
        if keep is not None:
            _drop_unused_definitions(tree, keep)
        read = _names_read(tree)
        # imports say nothing of who wrote the file (everyone's are alike): left out
        body = [s for s in _canonical_order(_block(tree.body, read)) if not isinstance(s, _IMPORTS)]
        tree.body = body
        return ast.unparse(ast.fix_missing_locations(tree))
    except (SyntaxError, ValueError, RecursionError, MemoryError, TypeError, AttributeError):
        return text


def _names_read(tree: ast.AST) -> set[str]:
    return {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Store)
    }


def _drop_unused_definitions(tree: ast.Module, keep: frozenset[str]) -> None:
    """Top-level functions and classes that nothing reachable names (and the API does not list):
    dead code added to pad the file. One walk: what each definition names, then what the API
    and the module's other statements reach through them."""
    names_in: dict[int, set[str]] = {}
    reached = set(keep)
    for statement in tree.body:
        named = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)}
        named |= {n.attr for n in ast.walk(statement) if isinstance(n, ast.Attribute)}
        if isinstance(statement, _DEFINITIONS):
            names_in[id(statement)] = named
        else:
            reached |= named
    by_name = {s.name: s for s in tree.body if isinstance(s, _DEFINITIONS)}
    pending = [n for n in reached if n in by_name]
    while pending:
        for name in names_in[id(by_name[pending.pop()])]:
            if name in by_name and name not in reached:
                reached.add(name)
                pending.append(name)
    tree.body = [s for s in tree.body if not isinstance(s, _DEFINITIONS) or s.name in reached]


def _has_effect(node: ast.AST) -> bool:
    return any(isinstance(n, _EFFECTS) for n in ast.walk(node))


def _dead_target(target: ast.AST, read: set[str]) -> bool:
    if isinstance(target, ast.Name):
        return target.id not in read
    if isinstance(target, (ast.Tuple, ast.List)):
        return all(_dead_target(t, read) for t in target.elts)
    return False


def _constant_truth(test: ast.AST) -> bool | None:
    if isinstance(test, ast.Constant):
        return bool(test.value)
    return None


def _block(statements: list[ast.stmt], read: set[str]) -> list[ast.stmt]:
    """One block's statements normalised (never empty: a `pass` stands for nothing)."""
    out: list[ast.stmt] = []
    for statement in statements:
        out += _statement(statement, read)
        if out and isinstance(out[-1], _JUMPS):
            break  # what follows never runs
    out = _loops_as_comprehensions(out)
    return out or [ast.Pass()]


def _statement(node: ast.stmt, read: set[str]) -> list[ast.stmt]:
    if isinstance(node, ast.Pass):
        return []
    if isinstance(node, ast.Expr):
        return [node] if _has_effect(node.value) else []
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if all(_dead_target(t, read) for t in targets):
            if value is not None and _has_effect(value):
                return [ast.copy_location(ast.Expr(value), node)]
            return []
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            load = ast.Name(node.target.id, ast.Load())
            step = ast.Assign(targets=[node.target], value=ast.BinOp(load, node.op, value))
            return [ast.copy_location(step, node)]
        if isinstance(node, ast.AnnAssign):
            if value is None:
                return []
            return [ast.copy_location(ast.Assign(targets=[node.target], value=value), node)]
        node.value = _generators(value)
        return [node]
    if isinstance(node, (ast.If, ast.While)):
        truth = _constant_truth(node.test)
        if truth is False:
            return _block(node.orelse, read) if node.orelse else []
        if truth is True and isinstance(node, ast.If):
            return _block(node.body, read)
    if isinstance(node, ast.Return) and node.value is not None:
        node.value = _generators(node.value)
    for field in ("body", "orelse", "finalbody"):
        inner = getattr(node, field, None)
        if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
            setattr(node, field, _block(inner, read) if inner else inner)
    for handler in getattr(node, "handlers", []):
        handler.body = _block(handler.body, read)
    if isinstance(node, ast.ClassDef):
        node.body = _canonical_order(node.body)
    return [node]


def _generators(value: ast.expr) -> ast.expr:
    """List and set comprehensions as generator expressions, everywhere in `value`."""

    class Generators(ast.NodeTransformer):
        def visit_ListComp(self, node: ast.ListComp) -> ast.AST:
            self.generic_visit(node)
            return ast.GeneratorExp(node.elt, node.generators)

        visit_SetComp = visit_ListComp  # noqa: N815 - ast.NodeTransformer's naming

    return Generators().visit(value)


def _loops_as_comprehensions(statements: list[ast.stmt]) -> list[ast.stmt]:
    """`r = []` + `for x in it: r.append(e)` as `r = (e for x in it)`; `s = 0` + `for x in it:
    s = s + e` as `s = sum(e for x in it)` (an `if` around the body becomes the filter)."""
    out: list[ast.stmt] = []
    for statement in statements:
        previous = out[-1] if out else None
        if (
            isinstance(statement, ast.For)
            and not statement.orelse
            and isinstance(previous, ast.Assign)
            and len(previous.targets) == 1
            and isinstance(previous.targets[0], ast.Name)
        ):
            found = _accumulated(statement, previous.targets[0].id, previous.value)
            if found is not None:
                previous.value = found
                continue
        out.append(statement)
    return out


def _accumulated(loop: ast.For, name: str, start: ast.expr) -> ast.expr | None:
    body, ifs = loop.body, []
    while len(body) == 1 and isinstance(body[0], ast.If) and not body[0].orelse:
        ifs.append(body[0].test)
        body = body[0].body
    if len(body) != 1:
        return None
    generator = [ast.comprehension(loop.target, loop.iter, ifs, 0)]
    step = body[0]
    empty_list = isinstance(start, ast.List) and not start.elts
    if empty_list and isinstance(step, ast.Expr) and isinstance(step.value, ast.Call):
        call = step.value
        if (
            isinstance(call.func, ast.Attribute)
            and call.func.attr == "append"
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == name
            and len(call.args) == 1
        ):
            return ast.GeneratorExp(call.args[0], generator)
    zero = isinstance(start, ast.Constant) and start.value == 0
    if (
        zero
        and isinstance(step, ast.Assign)
        and len(step.targets) == 1
        and isinstance(step.targets[0], ast.Name)
        and step.targets[0].id == name
        and isinstance(step.value, ast.BinOp)
        and isinstance(step.value.op, ast.Add)
        and isinstance(step.value.left, ast.Name)
        and step.value.left.id == name
    ):
        return ast.Call(
            ast.Name("sum", ast.Load()), [ast.GeneratorExp(step.value.right, generator)], []
        )
    return None


def defined_names(text: str) -> frozenset[str]:
    """The top-level functions and classes of `text` (a starter: the exercise's API)."""
    try:
        return frozenset(s.name for s in ast.parse(text).body if isinstance(s, _DEFINITIONS))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()


def _canonical_order(statements: list[ast.stmt]) -> list[ast.stmt]:
    """Imports first (sorted), the other statements in their order, then the definitions sorted
    by their text with names filtered out (so reordering or renaming them changes nothing)."""
    imports = sorted((s for s in statements if isinstance(s, _IMPORTS)), key=ast.dump)
    rest = [s for s in statements if not isinstance(s, _IMPORTS + _DEFINITIONS)]
    definitions = [s for s in statements if isinstance(s, _DEFINITIONS)]
    definitions.sort(key=lambda s: filtered(ast.unparse(s)).code)
    return imports + rest + definitions


MIN_STATEMENT = 12  # characters of filtered code: shorter statements (`return V`) are too common


def statements(text: str) -> frozenset[str]:
    """The distinct statements of normalised `text` as filtered code (a compound statement by its
    header), each of at least MIN_STATEMENT characters: splitting, merging or reordering
    functions moves statements but keeps them whole."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or isinstance(node, _DEFINITIONS):
            continue
        head = copy.copy(node)
        for field in ("body", "orelse", "finalbody", "handlers"):
            if isinstance(getattr(head, field, None), list):
                setattr(head, field, [])
        try:
            code = filtered(ast.unparse(head)).code
        except (ValueError, RecursionError, AttributeError, TypeError):
            continue
        if len(code) >= MIN_STATEMENT:
            found.add(code)
    return frozenset(found)

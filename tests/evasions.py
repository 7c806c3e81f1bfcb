"""Copies that try to evade the similarity pass, generated from a reference by AST transforms, as
a student hiding a copy would write them: a no-op after every statement, functions reordered,
dead code, every name of their own renamed, functions split in two or merged into one, loops
turned into comprehensions and comprehensions into loops; and all of them at once. Each keeps
the exercise's API (the functions the starter defines) and compiles."""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable

DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _functions(tree: ast.Module) -> list[ast.FunctionDef]:
    return [s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]


def noop_lines(tree: ast.Module, api: frozenset[str]) -> ast.Module:
    """`_ = 0` after every statement, in every block (the docstring's included)."""

    def pad(block: list[ast.stmt]) -> list[ast.stmt]:
        out = []
        for statement in block:
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(statement, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    setattr(statement, field, pad(inner))
            out += [statement, ast.parse("_ = 0").body[0]]
        return out

    tree.body = pad(tree.body)
    return tree


def reordered(tree: ast.Module, api: frozenset[str]) -> ast.Module:
    """Each run of top-level definitions in reverse order (other statements stay where they
    are: module-level code may use the definitions above it)."""
    out: list[ast.stmt] = []
    run: list[ast.stmt] = []
    for statement in tree.body + [ast.Pass()]:
        if isinstance(statement, DEFINITIONS):
            run.append(statement)
            continue
        out += run[::-1] + [statement]
        run = []
    tree.body = out[:-1]
    return tree


DEAD = '''
def _unused_helper(values, scale=3):
    """Normalise a list of values (kept for later)."""
    result = []
    for index, value in enumerate(values):
        if index % 2 == 0:
            result.append(value * scale)
        else:
            result.append(value - scale)
    return sorted(result, reverse=True)


class _Unused:
    limit = 10

    def grow(self, amount):
        return max(amount, self.limit) * 2 + 1
'''


def dead_code(tree: ast.Module, api: frozenset[str]) -> ast.Module:
    """Unused functions and classes, `if False:` blocks, code after each function's return."""
    tree.body += ast.parse(DEAD).body
    for function in _functions(tree):
        junk = ast.parse("if False:\n    print('debug', 1, 2, 3)\n    raise SystemExit(1)").body
        function.body = junk + function.body
        if isinstance(function.body[-1], ast.Return):
            function.body += ast.parse(
                "x_unused = [i * i for i in range(10)]\nprint(x_unused)"
            ).body
    return tree


def renamed(tree: ast.Module, api: frozenset[str]) -> ast.Module:
    """Every name the file binds itself (arguments, variables, helpers) renamed, the API kept."""
    imported = {
        (a.asname or a.name).split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in n.names
    }
    bound = {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    bound |= {a.arg for n in ast.walk(tree) if isinstance(n, ast.arg) for a in [n]}
    bound |= {s.name for s in tree.body if isinstance(s, DEFINITIONS)}  # methods keep theirs
    # the API's parameters keep their names: callers pass them by keyword
    api_nodes = [s for s in ast.walk(tree) if isinstance(s, DEFINITIONS) and s.name in api]
    public = {
        a.arg
        for d in api_nodes
        for n in ast.walk(d)
        if isinstance(n, ast.arguments)
        for a in n.args + n.kwonlyargs + n.posonlyargs
    }
    own = bound - api - imported - public - {"self"}
    table = {name: f"zq_{i}" for i, name in enumerate(sorted(own))}

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.Name:
            node.id = table.get(node.id, node.id)
            return node

        def visit_arg(self, node: ast.arg) -> ast.arg:
            node.arg = table.get(node.arg, node.arg)
            return node

        def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
            if node in tree.body:
                node.name = table.get(node.name, node.name)
            self.generic_visit(node)
            return node

        visit_ClassDef = visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    return Rename().visit(tree)


_SCOPES = (ast.comprehension, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp, ast.Lambda)


def _stored(node: ast.AST) -> set[str]:
    """The names a statement binds in its function (not those bound inside a comprehension)."""
    found, stack = set(), [node]
    while stack:
        here = stack.pop()
        if isinstance(here, _SCOPES):
            continue
        if isinstance(here, ast.Name) and isinstance(here.ctx, ast.Store):
            found.add(here.id)
        stack += list(ast.iter_child_nodes(here))
    return found


def split(tree: ast.Module, api: frozenset[str]) -> ast.Module:
    """Each function of 4 statements or more split in two: its second half in a helper that
    takes every name the first half has (arguments and variables) and returns its result."""
    helpers = []
    for function in _functions(tree):
        body = function.body
        half = len(body) // 2
        head = body[:half]
        if len(body) < 4 or any(
            isinstance(n, (ast.Return, ast.Yield)) for s in head for n in ast.walk(s)
        ):
            continue
        names = [a.arg for a in function.args.args + function.args.kwonlyargs]
        names += sorted({n for s in head for n in _stored(s)} - set(names))
        helper, listed = f"_rest_of_{function.name}", ", ".join(names)
        helpers.append(ast.parse(f"def {helper}({listed}):\n    pass").body[0])
        helpers[-1].body = body[half:]
        function.body = head + ast.parse(f"return {helper}({listed})").body
    tree.body += helpers
    return tree


def merged(tree: ast.Module, api: frozenset[str]) -> ast.Module:
    """The API functions merged into one dispatcher, `_all(which, *args)`, each of them a call
    to it (their decorators and signatures kept)."""
    functions = [
        f for f in _functions(tree) if f.name in api and not f.args.vararg and not f.args.kwarg
    ]
    if len(functions) < 2:
        return tree
    dispatcher = ast.parse("def _all(which, *args):\n    pass").body[0]
    branches = []
    for function in functions:
        names = [a.arg for a in function.args.args]
        unpack = ast.parse(f"({', '.join(names)},) = args").body if names else []
        test = ast.parse(f"which == {function.name!r}", mode="eval").body
        branches.append((test, unpack + function.body))
        call = f"return _all({function.name!r}{''.join(', ' + n for n in names)})"
        if function.args.kwonlyargs:
            continue
        function.body = ast.parse(call).body
    chain: list[ast.stmt] = [ast.parse("raise ValueError(which)").body[0]]
    for test, body in reversed(branches):
        chain = [ast.If(test=test, body=body, orelse=chain)]
    dispatcher.body = chain
    tree.body.append(dispatcher)
    return tree


def comprehensions_swapped(tree: ast.Module, api: frozenset[str]) -> ast.Module:
    """`for` into comprehension and back: `return sum(gen)`, `x = sum(gen)` and `x = [..]` as
    loops; `x = []` + an append loop as a comprehension."""
    counter = iter(range(1000))

    def loop_of(target: str, value: ast.expr) -> list[ast.stmt] | None:
        if (
            isinstance(value, ast.Call)
            and getattr(value.func, "id", "") == "sum"
            and len(value.args) == 1
        ):
            gen = value.args[0]
            start, step = "0", f"{target} += __ELT__"
        elif isinstance(value, ast.ListComp):
            gen, start, step = value, "[]", f"{target}.append(__ELT__)"
        else:
            return None
        if not isinstance(gen, (ast.GeneratorExp, ast.ListComp)) or len(gen.generators) != 1:
            return None
        comp = gen.generators[0]
        inner = step.replace("__ELT__", ast.unparse(gen.elt))
        for condition in comp.ifs:
            inner = f"if {ast.unparse(condition)}:\n    " + inner.replace("\n", "\n    ")
        loop = (
            f"{target} = {start}\nfor {ast.unparse(comp.target)} in {ast.unparse(comp.iter)}:\n    "
        )
        return ast.parse(loop + inner.replace("\n", "\n    ")).body

    def swap(block: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for statement in block:
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(statement, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    setattr(statement, field, swap(inner))
            if isinstance(statement, ast.Return) and statement.value is not None:
                name = f"acc_{next(counter)}"
                loop = loop_of(name, statement.value)
                if loop:
                    out += loop + ast.parse(f"return {name}").body
                    continue
            if (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
            ):
                loop = loop_of(statement.targets[0].id, statement.value)
                if loop:
                    out += loop
                    continue
            previous = out[-1] if out else None
            if (
                isinstance(statement, ast.For)
                and isinstance(previous, ast.Assign)
                and ast.unparse(previous.value) == "[]"
                and len(statement.body) == 1
                and ast.unparse(statement.body[0]).startswith(
                    ast.unparse(previous.targets[0]) + ".append("
                )
            ):
                elt = statement.body[0].value.args[0]
                previous.value = ast.ListComp(
                    elt, [ast.comprehension(statement.target, statement.iter, [], 0)]
                )
                continue
            out.append(statement)
        return out

    tree.body = swap(tree.body)
    return tree


def everything(tree: ast.Module, api: frozenset[str]) -> ast.Module:
    for transform in (comprehensions_swapped, split, dead_code, reordered, renamed, noop_lines):
        tree = transform(tree, api)
    return tree


EVASIONS: dict[str, Callable[[ast.Module, frozenset[str]], ast.Module]] = {
    "noop_lines": noop_lines,
    "noop_lines_reordered": lambda t, api: noop_lines(reordered(t, api), api),
    "reordered": reordered,
    "dead_code": dead_code,
    "renamed": renamed,
    "split": split,
    "merged": merged,
    "comprehensions": comprehensions_swapped,
    "everything": everything,
}


def _is_future(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.ImportFrom) and statement.module == "__future__"


def evade(text: str, how: str, api: frozenset[str]) -> str:
    """`text` transformed by EVASIONS[how]; the result compiles."""
    tree = EVASIONS[how](copy.deepcopy(ast.parse(text)), api)
    # annotations that name a class defined further down, once reordered, stay unevaluated
    tree.body = [s for s in tree.body if not _is_future(s)]
    docstring = int(bool(ast.get_docstring(tree, clean=False)))
    tree.body.insert(docstring, ast.parse("from __future__ import annotations").body[0])
    source = ast.unparse(ast.fix_missing_locations(tree))
    compile(source, f"<{how}>", "exec")
    return source

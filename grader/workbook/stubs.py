"""What a stub is: the reference's public names and signatures, each body raising
NotImplementedError. Used by `grader selfcheck` (the author's check of exercises/) and by
tests, which build stubs from the references so they never read a learner's exercises/."""

from __future__ import annotations

import ast
from pathlib import Path

# Methods a stub's class keeps from its reference (the spec's interface); helpers are the learner's.
KEPT_METHODS = ("__init__", "forward", "__len__", "__getitem__")


def public_api(text: str) -> dict[str, str]:
    """Public functions, classes and their kept methods, with their signatures (read, not run)."""
    api = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            api[node.name] = ast.unparse(node.args)
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            api[node.name] = ast.unparse(node.bases[0]) if node.bases else ""
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name in KEPT_METHODS:
                    api[f"{node.name}.{item.name}"] = ast.unparse(item.args)
    return api


def _raises_not_implemented(function: ast.FunctionDef) -> bool:
    last = function.body[-1]
    return (
        isinstance(last, ast.Raise)
        and last.exc is not None
        and "NotImplementedError" in ast.unparse(last.exc)
    )


def _stubbed(function: ast.FunctionDef, in_class: bool) -> ast.FunctionDef:
    body: list[ast.stmt] = []
    if ast.get_docstring(function) is not None:
        body.append(function.body[0])
    if in_class and function.name == "__init__":
        body.append(ast.parse("super().__init__()").body[0])
    body.append(ast.parse("raise NotImplementedError").body[0])
    function.body = body
    return function


def stub_from_reference(reference_text: str) -> str:
    """A stub made from a reference: same imports, names and signatures; every body raises."""
    tree = ast.parse(reference_text)
    kept: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            if not node.name.startswith("_"):
                kept.append(_stubbed(node, in_class=False))
        elif isinstance(node, ast.ClassDef):
            if not node.name.startswith("_"):
                node.body = [
                    _stubbed(item, in_class=True)
                    for item in node.body
                    if isinstance(item, ast.FunctionDef) and item.name in KEPT_METHODS
                ] or [ast.Pass()]
                kept.append(node)
        else:
            kept.append(node)
    tree.body = kept
    return ast.unparse(tree) + "\n"


def stub_problems(stub: Path, reference: Path, *, wording: bool = True) -> list[str]:
    """Why `stub` is not a learner's starting point for `reference`; empty when it is one. With
    `wording=False`, only what could hand out an answer (not the docstrings and TODO marks)."""
    name = stub.name
    try:
        text = stub.read_text()
        tree = ast.parse(text)
    except (OSError, SyntaxError, UnicodeDecodeError) as error:
        return [f"{name}: cannot be read as Python ({error})"]
    problems = []
    if public_api(text) != public_api(reference.read_text()):
        problems.append(f"{name}: its public names or signatures differ from the reference's")
    functions = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]
    for node in functions:
        if not _raises_not_implemented(node):
            problems.append(f"{name}: {node.name} does not end by raising NotImplementedError")
    if not wording:
        return problems
    if "grader check" not in (ast.get_docstring(tree) or ""):
        problems.append(f"{name}: the module docstring does not say how to check the work")
    if "# TODO" not in text:
        problems.append(f"{name}: no '# TODO' marks where to write")
    for node in functions:
        if node.name not in KEPT_METHODS and not ast.get_docstring(node):
            problems.append(f"{name}: {node.name} has no docstring")
    return problems


def starter_text(stub: Path, reference: Path) -> str:
    """The code a learner was handed for an exercise: the stub in exercises/ while it is still
    one; once someone filled it in (a checkout used to work the exercises), a stub made from the
    reference, so that the filled-in answer is never taken for starter code."""
    if stub.is_file() and not stub_problems(stub, reference):
        return stub.read_text()
    return stub_from_reference(reference.read_text())

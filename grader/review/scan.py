"""The static integrity scan of one exercise file: Python's `ast` over the text, never an import
or a run; a file that does not parse is scanned by tokens. Student text is hostile: the scan is
bounded in size, iterative (a deeply nested file cannot exhaust the stack) and never raises."""

from __future__ import annotations

import ast
import io
import tokenize

from grader.review import rules
from grader.review.fallback import scan_tokens
from grader.review.findings import Collector, Scan

SCAN_BYTES = 128 * 1024  # the part scanned (60 times the longest reference); a note says so


def decode(data: bytes) -> tuple[str, list[str]]:
    """The text Python would read (its coding cookie obeyed: a `# coding: utf-7` file hides
    nothing), undecodable bytes replaced; and a note when they were."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
        return text, []
    except (SyntaxError, LookupError, UnicodeDecodeError, ValueError):
        return data.decode("utf-8", errors="replace"), [
            "not valid UTF-8: undecodable bytes replaced"
        ]


def scan_source(data: bytes) -> Scan:
    """Findings in one exercise file's bytes, with notes on what could not be scanned."""
    scan = Scan()
    found = Collector()
    if len(data) > SCAN_BYTES:
        scan.notes.append(f"{len(data):,} bytes: only the first {SCAN_BYTES // 1024} KiB scanned")
        what = f"is {len(data):,} bytes long (data in the file: no answer is near that size)"
        found.add("embedded_data", "size", what, None)
        data = data[:SCAN_BYTES]
    text, notes = decode(data)
    scan.notes += notes
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        scan.notes.append(f"does not parse ({type(exc).__name__}): scanned by tokens")
        scan_tokens(text, found, scan)
    else:
        try:
            _scan_tree(tree, found)
        except RecursionError:  # only a hostile shape gets here; what was found stays
            scan.notes.append("too deeply nested to scan whole")
    scan.findings = found.findings()
    return scan


def _aliases(nodes: list[ast.AST], found: Collector) -> dict[str, str]:
    """Each name an import binds, anywhere in the file, and the dotted module path it stands for;
    an import of the grader's own modules is a finding in itself."""
    aliases: dict[str, str] = {}
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                _grader_import(alias.name, node.lineno, found)
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            _grader_import(node.module, node.lineno, found)
            for alias in node.names:
                if alias.name != "*":
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def _grader_import(module: str, line: int, found: Collector) -> None:
    if rules.is_grader_module(module):
        found.add("grader_module", module, f"imports {module}", line)


def _resolve(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """The dotted name an expression stands for (`np.testing.assert_allclose` as
    `numpy.testing.assert_allclose`, `getattr(sys, "_getframe")` as `sys._getframe`), or None
    when its root is not a module. Iterative: a chain of any length costs no stack."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif _is_getattr(node):
            parts.append(node.args[1].value)
            node = node.args[0]
        else:
            break
    if not isinstance(node, ast.Name):
        return None
    root = aliases.get(node.id) or rules.BUILTIN_ROOTS.get(node.id)
    if root is None and node.id in rules.DYNAMIC_BUILTINS:
        root = f"builtins.{node.id}"
    return ".".join([root, *reversed(parts)]) if root else None


def _is_call_of(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name


def _is_getattr(node: ast.AST, *names: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in (names or ("getattr", "setattr", "delattr"))
        and len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    )


def _scan_tree(tree: ast.AST, found: Collector) -> None:
    nodes = list(ast.walk(tree))  # breadth first: a chain's outer end comes before its inner parts
    aliases = _aliases(nodes, found)
    inner: set[int] = set()
    _literals(nodes, found)
    for node in nodes:
        line = getattr(node, "lineno", None)
        head = isinstance(node, ast.Attribute) or _is_getattr(node, "getattr")
        head = head or isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        if head and id(node) not in inner:
            _use(node, aliases, found)
            inner.update(_chain(node))
        if isinstance(node, ast.Attribute) and node.attr in rules.FRAME_ATTRIBUTES:
            found.add("frames", node.attr, f"reads a frame's {node.attr}", line)
        elif isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            text = node.value if isinstance(node.value, str) else node.value.decode("latin-1")
            if "/proc" in text:
                found.add("proc_fs", "/proc", f"names {text[:60]!r}", line)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in _flatten(targets):
                _patch(target, aliases, found)
        elif isinstance(node, ast.Call):
            _call(node, aliases, found)
        elif isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(raised, ast.Name) and raised.id in rules.EXITS:
                found.add("process", raised.id, f"raises {raised.id}", line)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _method(node, found)


def _literals(nodes: list[ast.AST], found: Collector) -> None:
    """Data carried in the file: a long string or bytes literal (base64 of weights), or many
    numbers written out."""
    sequences = [n for n in nodes if isinstance(n, (ast.List, ast.Tuple, ast.Set))]
    numbers = sum(sum(map(_is_number, n.elts)) for n in sequences)
    if numbers >= rules.MANY_NUMBERS:
        first = next(n for n in sequences if any(map(_is_number, n.elts)))
        what = f"holds {numbers:,} numbers in list literals"
        found.add("embedded_data", "numbers", what, first.lineno)
    for node in nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            if len(node.value) >= rules.LARGE_LITERAL:
                what = f"holds a literal of {len(node.value):,} characters"
                found.add("embedded_data", "literal", what, node.lineno)


def _is_number(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _method(node: ast.FunctionDef | ast.AsyncFunctionDef, found: Collector) -> None:
    """`__torch_function__` anywhere, and an `__eq__` or `__ne__` that answers a constant."""
    if node.name in rules.TRICK_METHODS:
        found.add("comparison_trick", node.name, f"defines {node.name}", node.lineno)
    elif node.name in rules.EQUALITY_METHODS:
        returns = [n for n in ast.walk(node) if isinstance(n, ast.Return)]
        if returns and all(
            isinstance(r.value, ast.Constant) and isinstance(r.value.value, bool) for r in returns
        ):
            found.add(
                "comparison_trick",
                node.name,
                f"defines {node.name} that always answers",
                node.lineno,
            )


def _chain(node: ast.AST) -> list[int]:
    """The inner parts of an attribute chain (`os.path` and `os` in `os.path.join`), judged with
    the whole: one flag per use, not one per prefix."""
    parts = []
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif _is_getattr(node, "getattr"):
            node = node.args[0]
        else:
            return parts
        parts.append(id(node))


def _use(node: ast.AST, aliases: dict[str, str], found: Collector) -> None:
    dotted = _resolve(node, aliases)
    rule = rules.rule_of(dotted) if dotted else None
    if rule and rule[0] != "grader_module":  # the import itself was the finding
        found.add(rule[0], rule[1], f"uses {dotted}", getattr(node, "lineno", None))


def _flatten(targets: list[ast.AST]) -> list[ast.AST]:
    out, todo = [], list(targets)
    while todo:
        target = todo.pop()
        if isinstance(target, (ast.Tuple, ast.List)):
            todo += target.elts
        elif isinstance(target, ast.Starred):
            todo.append(target.value)
        else:
            out.append(target)
    return out


def _patch(target: ast.AST, aliases: dict[str, str], found: Collector) -> None:
    """An assignment to (or deletion of) a module's attribute, or an entry of its `__dict__`."""
    line = getattr(target, "lineno", None)
    if isinstance(target, ast.Attribute) and _is_call_of(target.value, "type"):
        name = f"type(...).{target.attr}"  # a method swapped on an object's class
        found.add("patching", name, f"assigns {name}", line)
    elif isinstance(target, ast.Attribute):
        owner = _resolve(target.value, aliases)
        if owner and rules.patches(owner):
            name = f"{owner}.{target.attr}"
            found.add("patching", name, f"assigns {name}", line)
    elif isinstance(target, ast.Subscript):
        owner = target.value
        if isinstance(owner, ast.Attribute) and owner.attr == "__dict__":
            owner = owner.value
        elif not (isinstance(owner, ast.Name) and owner.id == "__builtins__"):
            return
        name = _resolve(owner, aliases)
        if name and rules.patches(name):
            found.add("patching", name, f"assigns an entry of {name}'s namespace", line)


def _call(node: ast.Call, aliases: dict[str, str], found: Collector) -> None:
    func = _resolve(node.func, aliases) if not _is_getattr(node) else None
    name = node.func.id if isinstance(node.func, ast.Name) else ""
    if name in ("setattr", "delattr") and node.args:
        owner = _resolve(node.args[0], aliases)
        if owner and rules.patches(owner):
            found.add("patching", owner, f"{name} on {owner}", node.lineno)
    if func in ("builtins.__import__", "importlib.import_module") and node.args:
        module = node.args[0]
        if isinstance(module, ast.Constant) and isinstance(module.value, str):
            rule = rules.rule_of(module.value)
            if rule:
                found.add(rule[0], rule[1], f"imports {module.value} by name", node.lineno)

"""The layout's import rule, as a test: which folders of grader/ may import which (the trust line:
worker/ runs beside student code and never imports the grader's side; wire/ imports neither side;
no circle of modules), and which modules must not import torch (the CLI imports them before a
worker has started its own)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from grader.workbook.paths import PROJECT_ROOT

GRADER = PROJECT_ROOT / "grader"

# Each folder (or top-level module) and the folders of grader/ its modules may import from.
ALLOWED = {
    "workbook": {"workbook"},
    "wire": {"wire"},  # shared by both sides of the trust line: imports neither
    # beside student code: never the grader's side; digits: 08's training digits drawn before a fork
    "worker": {"workbook", "wire", "worker", "digits"},
    "supervisor": {"workbook", "wire", "supervisor"},  # the grader's handle on workers
    "checking": {"workbook", "wire", "supervisor", "checking", "digits"},
    "reports": {"workbook", "reports"},
    "review": {"workbook", "reports", "review"},
    "commands": {"workbook", "wire", "supervisor", "checking", "reports", "review", "commands"},
    "exports": {"workbook", "checking", "reports", "commands", "exports"},  # one per export
    "cli": {"workbook", "supervisor", "commands", "exports"},
    "__main__": {"cli"},  # `python -m grader`: the same as the `grader` program
    "pytest_plugin": {"workbook", "supervisor", "checking", "reports"},
    "digits": set(),
    "__init__": set(),
    "notebook": {"commands"},  # what a learner's notebook imports: check, hint, solution
}
# Modules that must not import torch, numpy or torchvision at all (anywhere in them), and modules
# that may import them only inside functions (the grader's start, before a worker is asked for).
TORCH_FREE = ("workbook/",)
TORCH_LATE = (
    "wire/frames.py",
    "wire/control.py",
    "wire/cgroup_places.py",
    "supervisor/",
    "cli.py",
    "exports/cli.py",
    "__main__.py",
)
HEAVY = {"torch", "numpy", "torchvision"}


def imports(source: str) -> list[tuple[str, bool]]:
    """Every module a source imports, and whether the import is at the module's top level."""
    tree = ast.parse(source)
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == "grader":
                found += [(f"grader.{alias.name}", id(node) in top) for alias in node.names]
            else:
                found.append((node.module, id(node) in top))
    return found


def violations(relative: str, source: str) -> list[str]:
    """What a module at grader/`relative` breaks of the rules above."""
    folder = relative.split("/")[0].removesuffix(".py")
    allowed = ALLOWED[folder]
    problems = []
    for module, at_top in imports(source):
        parts = module.split(".")
        if parts[0] == "grader" and len(parts) > 1 and parts[1] not in allowed:
            where = f"{folder}/" if "/" in relative else f"{folder}.py"
            problems.append(
                f"grader/{relative} imports {module} ({where} may import only "
                f"{', '.join(sorted(allowed)) or 'nothing of grader'})"
            )
        if parts[0] in HEAVY:
            if relative.startswith(TORCH_FREE):
                problems.append(f"grader/{relative} imports {module}: it must stay torch-free")
            elif relative.startswith(TORCH_LATE) and at_top:
                problems.append(f"grader/{relative} imports {module} at its top: import it late")
    return problems


def modules() -> list[Path]:
    return sorted(p for p in GRADER.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_keeps_the_import_rule():
    problems = [
        v
        for path in modules()
        for v in violations(path.relative_to(GRADER).as_posix(), path.read_text())
    ]
    assert not problems, "\n".join(problems)


def test_every_folder_has_a_rule():
    folders = {p.relative_to(GRADER).parts[0].removesuffix(".py") for p in modules()}
    assert folders <= set(ALLOWED), folders - set(ALLOWED)


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    """Which modules of grader/ each module imports (anywhere in it, TYPE_CHECKING too), keyed by
    path relative to grader/ (`worker/cage.py`); `from grader.a import b` names b if it is a
    module, else the package a."""
    graph: dict[str, set[str]] = {}
    for relative, source in sources.items():
        graph[relative] = set()
        for module, _ in imports(source):
            parts = module.split(".")
            if parts[0] != "grader" or len(parts) < 2:
                continue
            for candidate in ("/".join(parts[1:]) + ".py", "/".join(parts[1:-1]) + ".py"):
                if candidate in sources and candidate != relative:
                    graph[relative].add(candidate)
                    break
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other in a loop (strongly connected, more than one)."""
    order, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in order:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], order[target])
        if low[node] == order[node]:
            group = []
            while not group or group[-1] != node:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return found


def test_no_module_circle():
    sources = {p.relative_to(GRADER).as_posix(): p.read_text() for p in modules()}
    assert not circles(import_graph(sources))


def test_the_circle_rule_catches_a_circle():
    sources = {
        "worker/cage.py": "from grader.worker.cgroups import join_pids_cgroup\n",
        "worker/cgroups.py": "if TYPE_CHECKING:\n    from grader.worker.cage import Report\n",
        "worker/server.py": "from grader.worker import cage\n",
    }
    assert circles(import_graph(sources)) == [["worker/cage.py", "worker/cgroups.py"]]
    del sources["worker/cgroups.py"]
    assert not circles(import_graph(sources))


@pytest.mark.parametrize(
    ("relative", "source", "expected"),
    [
        ("workbook/catalog.py", "import torch\n", "must stay torch-free"),
        ("workbook/limits.py", "def f():\n    import numpy\n", "must stay torch-free"),
        (
            "worker/server.py",
            "from grader.checking.compare import expect\n",
            "worker/ may import only",
        ),
        ("worker/cage.py", "from grader import checking\n", "worker/ may import only"),
        ("worker/server.py", "from grader.supervisor.pool import shared_pool\n", "worker/ may"),
        ("wire/frames.py", "from grader.worker.cage import Report\n", "wire/ may import only"),
        ("wire/protocol.py", "from grader.supervisor import usage\n", "wire/ may import only"),
        ("wire/files.py", "from grader.workbook.paths import PROJECT_ROOT\n", "wire/ may"),
        ("supervisor/pool.py", "import torch\n", "import it late"),
        ("supervisor/process.py", "from grader.worker import cage\n", "supervisor/ may"),
        (
            "reports/html_report.py",
            "from grader.commands.batch import grade_batch\n",
            "reports/ may import",
        ),
        (
            "workbook/files.py",
            "from grader.supervisor.pool import shared_pool\n",
            "workbook/ may import",
        ),
        ("review/scan.py", "from grader.worker.server import main\n", "review/ may import"),
        ("review/build.py", "from grader.checking.runner import run\n", "review/ may import"),
        ("commands/grade.py", "from grader.exports.handout import build\n", "commands/ may"),
        ("exports/handout.py", "from grader.worker import server\n", "exports/ may import"),
    ],
)
def test_the_rule_catches_a_breach(relative, source, expected):
    assert any(expected in v for v in violations(relative, source))


def test_the_rule_allows_what_the_layout_means():
    assert not violations("supervisor/process.py", "def f():\n    import torch\n")
    assert not violations("checking/compare.py", "from grader.wire.protocol import Opaque\n")
    assert not violations("worker/server.py", "from grader.wire import protocol\n")
    assert not violations("supervisor/process.py", "from grader.wire.control import Ending\n")
    assert not violations("commands/grade.py", "from grader.reports.html_report import render\n")


def test_torch_free_modules_really_load_without_torch():
    names = [
        ".".join(p.relative_to(PROJECT_ROOT).with_suffix("").parts)
        for p in modules()
        if p.relative_to(GRADER).as_posix().startswith(TORCH_FREE)
        or p.relative_to(GRADER).as_posix().startswith(TORCH_LATE)
    ]
    code = (
        f"import sys, importlib\nfor n in {names!r}: importlib.import_module(n)\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'numpy'))\n"
        "print(heavy)\nsys.exit(1 if heavy else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60
    )
    assert done.returncode == 0, done.stdout[:500] + done.stderr[-2000:]


def _reads_learners_files(source: str) -> list[str]:
    """Names and path literals by which a test could reach the learner's exercises/ or state."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id == "EXERCISES_DIR":
            found.append(f"line {node.lineno}: EXERCISES_DIR")
        if isinstance(node, ast.alias) and node.name == "EXERCISES_DIR":
            found.append("imports EXERCISES_DIR")
        if isinstance(node, ast.Attribute) and node.attr == "EXERCISES_DIR":
            found.append(f"line {node.lineno}: .EXERCISES_DIR")
    return found


def test_the_tests_never_reach_the_learners_exercises():
    """exercises/ is the learner's to fill in: the suite makes its stubs from the references."""
    reached = {
        path.name: found
        for path in sorted((PROJECT_ROOT / "tests").glob("*.py"))
        if path.name != "test_layout.py" and (found := _reads_learners_files(path.read_text()))
    }
    assert not reached, reached
    breach = "from grader.workbook.paths import EXERCISES_DIR\nEXERCISES_DIR / 'x.py'\n"
    assert len(_reads_learners_files(breach)) == 2

"""The layout's import rule, as a test: which folders of grader/ may import which, and which
modules must not import torch (the CLI imports them before a worker has started its own)."""

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
    "worker": {"workbook", "worker"},
    "checking": {"workbook", "worker", "checking", "digits"},
    "reports": {"workbook", "reports"},
    "review": {"workbook", "reports", "review"},
    "commands": {"workbook", "worker", "checking", "reports", "review", "commands"},
    "cli": {"workbook", "worker", "commands", "cli_export"},
    "__main__": {"cli"},  # `python -m grader`: the same as the `grader` program
    "cli_export": {"workbook", "worker", "commands"},
    "pytest_plugin": {"workbook", "worker", "checking", "reports"},
    "digits": set(),
    "__init__": set(),
    "notebook": {"commands"},  # what a learner's notebook imports: check, hint, solution
}
# Modules that must not import torch, numpy or torchvision at all (anywhere in them), and modules
# that may import them only inside functions (the grader's start, before a worker is asked for).
TORCH_FREE = ("workbook/",)
TORCH_LATE = (
    "worker/environment.py",
    "worker/output.py",
    "worker/zygote_client.py",
    "worker/process.py",
    "worker/pool.py",
    "cli.py",
    "cli_export.py",
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
            elif relative in TORCH_LATE and at_top:
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
        ("worker/process.py", "from grader import checking\n", "worker/ may import only"),
        ("worker/pool.py", "import torch\n", "import it late"),
        (
            "reports/html_report.py",
            "from grader.commands.batch import grade_batch\n",
            "reports/ may import",
        ),
        (
            "workbook/files.py",
            "from grader.worker.pool import shared_pool\n",
            "workbook/ may import",
        ),
        ("review/scan.py", "from grader.worker.server import main\n", "review/ may import"),
        ("review/build.py", "from grader.checking.runner import run\n", "review/ may import"),
    ],
)
def test_the_rule_catches_a_breach(relative, source, expected):
    assert any(expected in v for v in violations(relative, source))


def test_the_rule_allows_what_the_layout_means():
    assert not violations("worker/process.py", "def f():\n    import torch\n")
    assert not violations("checking/compare.py", "from grader.worker.protocol import Opaque\n")
    assert not violations("commands/grade.py", "from grader.reports.html_report import render\n")


def test_torch_free_modules_really_load_without_torch():
    names = [
        ".".join(p.relative_to(PROJECT_ROOT).with_suffix("").parts)
        for p in modules()
        if p.relative_to(GRADER).as_posix().startswith(TORCH_FREE)
        or p.relative_to(GRADER).as_posix() in TORCH_LATE
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

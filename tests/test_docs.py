"""The README is a front door that stays true: at most 10 KB, the two set-up and test commands CI
runs (byte for byte, in order), links that resolve, and every `grader ...` command in the README
and docs/ names a command and options that `grader CMD --help` has."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from grader.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
GUIDES = [
    "README.md",
    "docs/learners.md",
    "docs/instructors.md",
    "docs/performance.md",
    "docs/security.md",
    "docs/scale.md",
]
SET_UP = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]'"
TEST = ".venv/bin/python -m pytest -n 2 --dist loadfile"
# Written on other branches of issue 20; linked before they merge, checked once they exist.
PENDING = {"docs/architecture.md", "docs/authoring.md"}


def test_readme_is_at_most_10_kb() -> None:
    assert len(README.read_bytes()) <= 10 * 1024


def test_readme_sets_up_then_tests_with_the_commands_ci_runs() -> None:
    lines = [line.strip() for line in README.read_text(encoding="utf-8").splitlines()]
    assert SET_UP in lines and TEST in lines
    assert lines.index(SET_UP) < lines.index(TEST)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install" in ci and f"\n{TEST}\n" in ci


def _links(path: Path) -> list[tuple[str, str]]:
    """The page's links to files of the project, as (file, anchor); the file "" is the page."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)", text)
    return [(target, anchor) for target, anchor in found if "://" not in target]


def _anchors(path: Path) -> set[str]:
    """GitHub's anchors for a Markdown page's headings."""
    headings = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("name", GUIDES)
def test_links_resolve(name: str) -> None:
    page = ROOT / name
    broken = []
    for target, anchor in _links(page):
        resolved = (page.parent / target).resolve() if target else page
        if not resolved.exists():
            if str(resolved.relative_to(ROOT)) not in PENDING:
                broken.append(target)
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(f"{target}#{anchor}")
    assert not broken, f"{name} links to missing files or headings: {broken}"


def _commands(text: str) -> list[list[str]]:
    """Each `grader ...` command of a page, as words, up to a comment or the end of its code."""
    found = re.findall(r"(?:^|`)\s*grader ([a-z][a-z-]*(?: [^`\n#]*)?)", text, re.M)
    return [c.split() for c in found]


def _command_of(words: list[str]) -> tuple[click.Command, list[str]] | None:
    command: click.Command = main
    path: list[str] = []
    for word in words:
        if not isinstance(command, click.Group) or word not in command.commands:
            break
        command = command.commands[word]
        path.append(word)
    return (command, path) if path else None


def unknown_options(text: str) -> tuple[int, list[str]]:
    """How many `grader` commands `text` holds, and those using an option their --help lacks."""
    runner = CliRunner()
    wrong, checked = [], 0
    for words in _commands(text):
        found = _command_of(words)
        if found is None:
            continue  # prose such as "the grader process"
        command, path = found
        if isinstance(command, click.Group) and len(path) == len(words):
            continue
        help_text = runner.invoke(main, [*path, "--help"]).output
        options = [w.strip("[],.;") for w in words if w.startswith(("-", "[-"))]
        options = [o.split("=")[0] for o in options if o.startswith("-")]
        absent = [
            o for o in options if not re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", help_text)
        ]
        checked += 1
        if absent:
            wrong.append(f"grader {' '.join(words)}: {absent}")
    return checked, wrong


@pytest.mark.parametrize("name", GUIDES)
def test_every_grader_command_and_option_exists(name: str) -> None:
    checked, wrong = unknown_options((ROOT / name).read_text(encoding="utf-8"))
    assert checked > 0
    assert not wrong, "options that `--help` does not have:\n" + "\n".join(wrong)


def test_a_command_with_a_wrong_option_is_caught() -> None:
    """The check above can fail: an option a command lacks is reported, one it has is not."""
    page = (
        "Run `grader check edge_filter --no-such-option`, then\n`grader grade B --out O --resume`"
    )
    checked, wrong = unknown_options(page)
    assert checked == 2
    assert wrong == ["grader check edge_filter --no-such-option: ['--no-such-option']"]

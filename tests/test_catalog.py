"""workbook.toml: validated on load, and the only list of exercises."""

import ast

import pytest

from grader.workbook.catalog import CatalogError, exercise_by_id, load_catalog, parse_catalog
from grader.workbook.paths import EXERCISES_DIR, SOLUTIONS_DIR

GOOD = """
[[exercise]]
number = 1
id = "edge_filter"
title = "t"
section = "s"
points = 3
time_limit = 5
hints = ["a", "b"]
"""


def test_the_catalog_lists_eight_exercises_in_order_with_their_files():
    catalog = load_catalog()
    assert [e.number for e in catalog] == list(range(1, 9))
    for exercise in catalog:
        assert (EXERCISES_DIR / exercise.filename).is_file()
        assert (SOLUTIONS_DIR / exercise.filename).is_file()
        assert exercise.check_file.is_file()
        assert len(exercise.hints) >= 2


@pytest.mark.parametrize(
    "edit, words",
    [
        (("number = 1", "number = 2"), "expected 1"),
        (('id = "edge_filter"', 'id = "Edge Filter"'), "not a lowercase identifier"),
        (("points = 3", 'points = "3"'), "wrong type"),
        (("points = 3", "points = 0"), "positive"),
        (('hints = ["a", "b"]', "hints = []"), "hints"),
        (('title = "t"\n', ""), "missing field 'title'"),
        (('title = "t"', 'title = "t"\ncolour = 1'), "unknown field"),
        (("[[exercise]]", "[[exercise"), "not valid TOML"),
    ],
)
def test_bad_entries_are_refused_with_a_clear_message(edit, words):
    with pytest.raises(CatalogError, match=words):
        parse_catalog(GOOD.replace(*edit))


def test_duplicate_ids_are_refused():
    second = GOOD.replace("number = 1", "number = 2")
    with pytest.raises(CatalogError, match="duplicate"):
        parse_catalog(GOOD + second)


def test_lookup_by_id_or_number():
    assert exercise_by_id("3").id == exercise_by_id("03").id == "simple_cnn"
    with pytest.raises(KeyError, match="edge_filter"):
        exercise_by_id("nope")


def _public_api(path):
    """Public functions and classes with their signatures, read without running the file."""
    tree = ast.parse(path.read_text())
    api = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            api[node.name] = ast.unparse(node.args)
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            api[node.name] = ast.unparse(node.bases[0]) if node.bases else ""
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    api[f"{node.name}.{item.name}"] = ast.unparse(item.args)
    return api


@pytest.mark.parametrize("exercise", load_catalog(), ids=lambda e: e.id)
def test_stubs_and_references_have_the_same_public_names_and_signatures(exercise):
    stub = _public_api(EXERCISES_DIR / exercise.filename)
    solution = _public_api(SOLUTIONS_DIR / exercise.filename)
    assert {
        k: v
        for k, v in solution.items()
        if "." not in k or k.split(".")[1] in ("__init__", "forward", "__len__", "__getitem__")
    } == stub


@pytest.mark.parametrize("exercise", load_catalog(), ids=lambda e: e.id)
def test_stubs_are_written_for_a_learner(exercise):
    text = (EXERCISES_DIR / exercise.filename).read_text()
    tree = ast.parse(text)
    assert ast.get_docstring(tree) and "grader check" in ast.get_docstring(tree)
    assert "# TODO" in text and "raise NotImplementedError" in text
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.FunctionDef)
            and not node.name.startswith("_")
            and node.name not in ("__init__", "forward", "__len__", "__getitem__")
        ):
            assert ast.get_docstring(node), f"{exercise.filename}: {node.name} has no docstring"

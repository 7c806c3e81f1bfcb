"""workbook.toml: validated on load, and the only list of exercises."""

import ast

import pytest

from grader.workbook.catalog import CatalogError, exercise_by_id, load_catalog, parse_catalog
from grader.workbook.exercise_folder import folder_problems
from grader.workbook.paths import SOLUTIONS_DIR
from grader.workbook.stubs import public_api, starter_text, stub_from_reference, stub_problems

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


def test_the_catalog_lists_its_exercises_in_order_with_their_files():
    catalog = load_catalog()
    assert [e.number for e in catalog] == list(range(1, len(catalog) + 1))
    for exercise in catalog:
        assert (SOLUTIONS_DIR / exercise.filename).is_file()
        assert exercise.check_files, exercise.folder
        assert len(exercise.hints) >= 2
    assert folder_problems() == []


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


STUB = '''"""Exercise 09. Check your work: grader check nine."""


def area(width: int, height: int) -> int:
    """The area."""
    # TODO: multiply
    raise NotImplementedError


class Box:
    def __init__(self, side: int):
        # TODO: keep the side
        raise NotImplementedError
'''
REFERENCE = '''"""Reference."""


def area(width: int, height: int) -> int:
    return width * height


def _helper():
    return 1


class Box:
    def __init__(self, side: int):
        self.side = side

    def grow(self):
        self.side += 1
'''


@pytest.mark.parametrize(
    "edit, words",
    [
        (("", ""), None),
        (
            ("    raise NotImplementedError\n\n\nclass", "    return 1\n\n\nclass"),
            "area does not end",
        ),
        (("width: int, height: int", "width, height=2"), "signatures differ"),
        (('    """The area."""\n', ""), "area has no docstring"),
        (("Check your work: grader check nine.", ""), "how to check"),
        (("# TODO:", "#"), "TODO"),
        (("def area(", "def areas("), "names or signatures differ"),
        (("class Box:", "class Box(:"), "cannot be read as Python"),
    ],
)
def test_selfcheck_knows_a_stub_from_anything_else(tmp_path, edit, words):
    """selfcheck's test of exercises/: the reference's API, raising bodies, words for a learner."""
    stub, reference = tmp_path / "09_nine.py", tmp_path / "reference.py"
    stub.write_text(STUB.replace(*edit) if edit[0] else STUB)
    reference.write_text(REFERENCE)
    problems = stub_problems(stub, reference)
    if words is None:
        assert problems == []
    else:
        assert any(words in p for p in problems), problems


@pytest.mark.parametrize("exercise", load_catalog(), ids=lambda e: e.id)
def test_a_stub_made_from_the_reference_keeps_its_interface(exercise):
    """The tests' stubs (made from the references) have the spec's names and signatures."""
    reference = (SOLUTIONS_DIR / exercise.filename).read_text()
    made = stub_from_reference(reference)
    assert public_api(made) == public_api(reference)
    functions = [n for n in ast.walk(ast.parse(made)) if isinstance(n, ast.FunctionDef)]
    assert functions and all(isinstance(f.body[-1], ast.Raise) for f in functions)


def test_starter_code_is_the_stub_until_someone_fills_it_in(tmp_path):
    """The review ignores starter code; a filled-in exercises/ file must not become 'starter'."""
    stub, reference = tmp_path / "09_nine.py", tmp_path / "reference.py"
    stub.write_text(STUB)
    reference.write_text(REFERENCE)
    assert starter_text(stub, reference) == STUB
    stub.write_text(REFERENCE)  # a learner's (here: the reference's) answer
    made = starter_text(stub, reference)
    assert "width * height" not in made and "raise NotImplementedError" in made

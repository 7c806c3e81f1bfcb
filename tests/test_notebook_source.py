"""grader.workbook.notebook_source: the code a notebook holds per exercise (tagged cells, or the
spec's definitions with what they use), cells of shell commands and magics left out and named,
hostile notebooks refused with a reason; and intake grading a notebook like the same .py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader.workbook.catalog import exercise_by_id, load_catalog
from grader.workbook.notebook_source import (
    MAX_CELLS,
    NotebookError,
    code_cells,
    definitions,
    extract,
)
from grader.workbook.paths import SOLUTIONS_DIR

EDGE = exercise_by_id("edge_filter")
COUNT = exercise_by_id("count_parameters")
EVERY = list(load_catalog())


def notebook(*cells: tuple[str, list[str]]) -> bytes:
    """An .ipynb's bytes: code cells (source, tags), a markdown cell first."""
    body = [{"cell_type": "markdown", "metadata": {}, "source": ["# mine"]}]
    body += [
        {
            "cell_type": "code",
            "metadata": {"tags": tags} if tags else {},
            "source": source.splitlines(keepends=True),
            "outputs": [],
            "execution_count": None,
        }
        for source, tags in cells
    ]
    return json.dumps({"cells": body, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def test_tagged_cells_are_taken_whole_in_order_and_magics_are_named():
    data = notebook(
        ("!pip install torch", []),
        ("import torch", ["exercise:edge_filter"]),
        ("%matplotlib inline\nX = 1", ["exercise:edge_filter"]),
        ("def laplacian_filter():\n    return torch.ones(3, 3)", ["exercise:edge_filter"]),
        ("print('trying it out')", []),
    )
    out = extract(data, EVERY, "work.ipynb")
    assert list(out.sources) == ["edge_filter"]
    assert out.sources["edge_filter"] == (
        "import torch\n\ndef laplacian_filter():\n    return torch.ones(3, 3)\n"
    )
    assert out.notes[0] == "work.ipynb: graded from its tagged cells (edge_filter)"
    assert "work.ipynb: cell 2 left out (a shell command: !pip install torch)" in out.notes
    assert "work.ipynb: cell 4 left out (a magic: %matplotlib inline)" in out.notes


def test_untagged_cells_give_the_spec_names_with_what_they_use_and_no_trial_code():
    cells = [
        "import torch\nimport numpy as np",
        "def _pad(x, p):\n    return torch.nn.functional.pad(x, (p, p, p, p))",
        "SCALE = 2",
        "def convolve2d(image, kernel, stride=1, padding=0):\n    return _pad(image, padding)",
        "image = torch.rand(5, 5)\nprint(convolve2d(image, torch.ones(3, 3)))",
        "def convolve2d(image, kernel, stride=1, padding=0):\n"
        "    return _pad(image, padding) * SCALE",
        "def count_parameters(model):\n    return 1, 1",
    ]
    source, missing = definitions(cells, ["convolve2d", "edge_magnitude"])
    assert source == (
        "import torch\n\n"
        "def _pad(x, p):\n    return torch.nn.functional.pad(x, (p, p, p, p))\n\n"
        "SCALE = 2\n\n"
        "def convolve2d(image, kernel, stride=1, padding=0):\n"
        "    return _pad(image, padding) * SCALE\n"
    )
    assert missing == ["edge_magnitude"]
    compile(source, "x.py", "exec")  # what is taken is a module of its own


def test_an_untagged_notebook_gives_each_exercise_it_defines():
    data = notebook(
        ("from torch import nn", []),
        ("def count_parameters(model):\n    return 0, 0", []),
        ("def horizontal_edge_filter():\n    return None", []),
    )
    out = extract(data, EVERY, "mine.ipynb")
    assert set(out.sources) == {"edge_filter", "count_parameters"}
    assert out.sources["count_parameters"].startswith("def count_parameters")  # nn: unused
    assert "the definitions the spec names" in out.notes[0]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe", "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
        (json.dumps({"cells": "no"}).encode(), "no list of cells"),
        (json.dumps([1, 2]).encode(), "no list of cells"),
        (b" " * (2 * 1024**2 + 1), "larger than 2 MB"),
        (
            json.dumps({"cells": [{"cell_type": "code", "source": 3}]}).encode(),
            "neither text nor a list",
        ),
        (
            json.dumps({"cells": [{"cell_type": "code", "source": "x" * 200_001}]}).encode(),
            "longer than",
        ),
        (json.dumps({"cells": [{}] * (MAX_CELLS + 1)}).encode(), f"more than {MAX_CELLS}"),
    ],
)
def test_a_hostile_notebook_is_refused_with_its_reason(data, reason):
    with pytest.raises(NotebookError, match=reason):
        code_cells(data)


def test_odd_metadata_and_cells_are_passed_over():
    data = json.dumps(
        {
            "cells": [
                "text",
                {"cell_type": "code", "metadata": {"tags": "exercise:edge_filter"}, "source": "1"},
                {"cell_type": "code", "metadata": {"tags": [7, "exercise:edge_filter"]}},
            ]
        }
    ).encode()
    cells = code_cells(data)
    assert [(c.number, c.source, c.tags) for c in cells] == [
        (2, "1", ()),
        (3, "", ("exercise:edge_filter",)),
    ]


# -- intake: the same code as .ipynb and as .py gives the same points -----------------------------

GRADER = str(Path(sys.executable).with_name("grader"))


def _reference_notebook(tagged: bool) -> bytes:
    source = (SOLUTIONS_DIR / COUNT.filename).read_text()
    return notebook(("!ls", []), (source, ["exercise:count_parameters"] if tagged else []))


def test_intake_grades_a_notebook_like_its_py_and_says_so(tmp_path):
    from grader.workbook.intake import take_in

    folder = tmp_path / "ann"
    folder.mkdir()
    (folder / "homework.ipynb").write_bytes(_reference_notebook(tagged=True))
    (folder / "broken.ipynb").write_bytes(b"{")
    intake = take_in([(folder, "ann")], EVERY)
    assert list(intake.chosen) == ["count_parameters"]
    assert intake.chosen["count_parameters"].path == "homework.ipynb/02_count_parameters.py"
    for said in (
        "graded homework.ipynb/02_count_parameters.py",
        "homework.ipynb: graded from its tagged cells (count_parameters)",
        "homework.ipynb: cell 2 left out (a shell command: !ls)",
        "broken.ipynb: not a notebook (not JSON: JSONDecodeError), not graded",
    ):
        assert said in intake.note
    # beside a .py of the same exercise, the rule for two files holds: the shallower .py wins
    (folder / COUNT.filename).write_text("def count_parameters(model):\n    return 0, 0\n")
    intake = take_in([(folder, "ann")], EVERY)
    assert intake.chosen["count_parameters"].path == COUNT.filename
    assert "ignored homework.ipynb/02_count_parameters.py" in intake.note


def test_a_batch_of_notebooks_earns_the_points_of_the_same_py_files(tmp_path):
    batch = tmp_path / "batch"
    reference = (SOLUTIONS_DIR / COUNT.filename).read_text()
    wrong = reference.replace("return out_features * in_features", "return in_features")
    assert wrong != reference
    for student, text in (("ann", reference), ("bob", wrong)):
        for form in ("py", "tagged", "untagged"):
            folder = batch / f"{student}-{form}"
            folder.mkdir(parents=True)
            if form == "py":
                (folder / COUNT.filename).write_text(text)
            else:
                tags = ["exercise:count_parameters"] if form == "tagged" else []
                (folder / "work.ipynb").write_bytes(notebook(("%time 1", []), (text, tags)))
    out = tmp_path / "out"
    done = subprocess.run(
        [
            GRADER,
            "grade",
            str(batch),
            "--out",
            str(out),
            "--only",
            "count_parameters",
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    rows = {r["student"]: r for r in json.loads((out / "grades.json").read_text())["students"]}
    for student in ("ann", "bob"):
        points = {form: rows[f"{student}-{form}"]["total"] for form in ("py", "tagged", "untagged")}
        assert len(set(points.values())) == 1, points
        for form in ("tagged", "untagged"):
            notes = " ".join(rows[f"{student}-{form}"]["notes"])
            assert "graded work.ipynb/02_count_parameters.py" in notes
            assert "work.ipynb: cell 2 left out (a magic: %time 1)" in notes
    assert rows["ann-py"]["total"] > rows["bob-py"]["total"]


def test_a_notebook_inside_a_zip_is_graded_from_its_cells(tmp_path):
    import zipfile

    from grader.workbook.intake import take_in

    archive = tmp_path / "ann.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("ann/work.ipynb", _reference_notebook(tagged=False))
    intake = take_in([(archive, "ann.zip")], EVERY)
    assert intake.chosen["count_parameters"].path == "ann.zip/ann/work.ipynb/02_count_parameters.py"
    assert "ann.zip/ann/work.ipynb: graded from the definitions the spec names" in intake.note


def test_check_in_a_kernel_names_cells_it_left_out():
    from grader.commands.notebook import source_of

    cells = [
        "import torch",
        "def count_parameters(model):\n    return 1, 1",
        "%%time\ndef count_parameters(model):\n    return 2, 2",
        "def count_parameters(model):\n    return (3, 3",
    ]
    source, notes = source_of(COUNT, cells)
    assert source == "def count_parameters(model):\n    return 1, 1\n"
    assert notes == [
        "a cell defining count_parameters's code was left out: it holds a magic",
        "a cell defining count_parameters's code does not parse: it was left out",
    ]


def test_the_spec_names_come_from_the_reference_and_survive_a_file_that_does_not_parse(
    tmp_path, monkeypatch
):
    from grader.workbook import notebook_source

    assert notebook_source.spec_names(COUNT)[0] == "count_parameters"
    (tmp_path / COUNT.filename).write_text("def count_parameters(model:\nclass Helper:\n  pass\n")
    monkeypatch.setattr(notebook_source, "SOLUTIONS_DIR", tmp_path)
    assert notebook_source.spec_names(COUNT) == ["count_parameters", "Helper"]


def test_check_in_a_kernel_says_when_no_cell_defines_the_exercise():
    from grader.commands.notebook import source_of

    source, notes = source_of(COUNT, ["import torch", "print(1)"])
    assert source == "" and notes == [
        "no cell this kernel ran defines count_parameters, conv2d_param_count, "
        "linear_param_count, simple_cnn_param_count: run the cells tagged "
        "exercise:count_parameters first"
    ]

"""The learners' notebooks: made from the stubs (each tagged cell is stub code, together the whole
stub), run by a real kernel (nbclient) with the reference filled in and with a named mistake, a
repeated check a fifth of the first at most, and the executed notebook rendered to HTML
(nbconvert) and drawn in headless Chromium (its screenshot where $CNN_NOTEBOOK_SCREENSHOT says)."""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from nbclient import NotebookClient

from grader.cli import main
from grader.commands.notebooks import notebook, stub_cells, without_docstring
from grader.supervisor.host_cage import PRETEND_VARIABLE
from grader.workbook.catalog import Exercise, exercise_by_id, load_catalog
from grader.workbook.notebook_source import tag_of
from grader.workbook.paths import PROJECT_ROOT, SOLUTIONS_DIR
from tests.chromium import browse
from tests.corpus import WRONG
from tests.helpers import stub_text, write_stubs

EXERCISES = list(load_catalog())


def _tagged(nb: nbformat.NotebookNode, exercise: Exercise) -> list:
    return [c for c in nb.cells if tag_of(exercise) in c.metadata.get("tags", [])]


@pytest.fixture(scope="module")
def stubs(tmp_path_factory) -> Path:
    """The stubs, made from the references (the tests never read the learner's exercises/)."""
    return write_stubs(tmp_path_factory.mktemp("stubs"))


def _load(exercise: Exercise, stubs: Path) -> nbformat.NotebookNode:
    text = json.dumps(notebook(exercise, str(PROJECT_ROOT), stubs))
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    return nb


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_a_notebook_is_its_stub_cell_by_cell_with_set_up_and_check(exercise, stubs):
    nb = _load(exercise, stubs)
    stub = stub_text(exercise.filename)
    tagged = _tagged(nb, exercise)
    assert [c.source for c in tagged] == stub_cells(without_docstring(stub))
    joined = "\n\n".join(c.source for c in tagged)
    assert ast.dump(ast.parse(joined)) == ast.dump(ast.parse(without_docstring(stub)))
    assert len(tagged) >= 2 and tagged[0].source.startswith(("import", "from"))
    context = nb.cells[0]
    assert context.cell_type == "markdown"
    assert exercise.title in context.source and exercise.section.split(";")[0] in context.source
    assert "grader check" not in context.source  # the notebook's own ways: check(), hint()
    assert "from grader.notebook import check, hint, solution" in nb.cells[1].source
    assert nb.cells[-1].source == f'check("{exercise.id}")'


def test_grader_notebooks_writes_one_per_exercise(tmp_path):
    # the command reads the stubs of exercises/; written notebooks are not compared to them here
    done = CliRunner().invoke(main, ["notebooks", "--out", str(tmp_path), "--source", "x.git"])
    assert done.exit_code == 0, done.output
    written = sorted(p.name for p in tmp_path.glob("*.ipynb"))
    assert written == [e.filename.replace(".py", ".ipynb") for e in EXERCISES]
    assert "WORKBOOK = 'x.git'" in (tmp_path / written[0]).read_text()


# -- a real kernel ---------------------------------------------------------------------------------


def _outputs(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif "data" in output:
            parts += [output.data.get("text/plain", ""), output.data.get("text/html", "")]
        elif output.output_type == "error":
            parts.append("\n".join(output.traceback))
    return "\n".join(parts)


def _run(nb: nbformat.NotebookNode, folder: Path) -> nbformat.NotebookNode:
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    return nb


def _with_reference(exercise: Exercise, stubs: Path) -> nbformat.NotebookNode:
    """The exercise's notebook with the reference typed into its tagged cells."""
    nb = _load(exercise, stubs)
    reference = without_docstring((SOLUTIONS_DIR / exercise.filename).read_text())
    tagged = _tagged(nb, exercise)
    tagged[0].source = reference
    for cell in tagged[1:]:
        nb.cells.remove(cell)
    return nb


TIMED = 'import time\nstarted = time.perf_counter()\ncheck("edge_filter")\n' + (
    'print(f"took {time.perf_counter() - started:.3f} s")'
)


@pytest.fixture(scope="module")
def edge_kernel(tmp_path_factory, stubs) -> tuple[nbformat.NotebookNode, Path]:
    """Notebook 01 run in one kernel: the reference and its check (timed), two more checks, a
    flipped kernel and its check, then hint() and solution()."""
    folder = tmp_path_factory.mktemp("notebook")
    nb = _with_reference(exercise_by_id("edge_filter"), stubs)
    flipped = next(v for v in WRONG if v.name == "flipped_kernel")
    source = (SOLUTIONS_DIR / "01_edge_filter.py").read_text()
    for old, new in flipped.edits:
        source = source.replace(old, new)
    tree = ast.parse(source)
    convolve = next(n for n in tree.body if getattr(n, "name", "") == "convolve2d")
    nb.cells[-1].source = TIMED
    nb.cells += [
        nbformat.v4.new_code_cell(TIMED),
        nbformat.v4.new_code_cell(TIMED),
        nbformat.v4.new_code_cell(ast.get_source_segment(source, convolve)),
        nbformat.v4.new_code_cell('check("edge_filter")'),
        nbformat.v4.new_code_cell('hint("edge_filter")'),
        nbformat.v4.new_code_cell('solution("edge_filter")'),
    ]
    # this host is taken to lack the file-system cage: the check runs, and says so once
    os.environ[PRETEND_VARIABLE] = "1"  # read by the kernel when it starts
    # a learner's state of its own: another test of this run may have asked for edge_filter's hint
    state = os.environ["CNN_GRADER_STATE"]
    os.environ["CNN_GRADER_STATE"] = str(folder / "state.json")
    try:
        return _run(nb, folder), folder
    finally:
        del os.environ[PRETEND_VARIABLE]
        os.environ["CNN_GRADER_STATE"] = state


def _took(cell) -> float:
    return float(re.search(r"took ([\d.]+) s", _outputs(cell)).group(1))


def test_the_reference_passes_in_a_kernel_and_a_repeated_check_is_a_fifth_of_the_first(
    edge_kernel,
):
    nb, _ = edge_kernel
    first, second, third = nb.cells[-7], nb.cells[-6], nb.cells[-5]
    shown = _outputs(first)
    assert "score 25/25 (passing)" in shown and "FAIL" not in shown
    assert "class=cnn-check" in shown and "<script" not in shown  # the verdict, inline HTML
    absent = "your check ran without a protection this machine lacks: no Landlock"
    assert absent in shown and not any(absent in _outputs(c) for c in (second, third))
    times = [_took(c) for c in (first, second, third)]
    print(f"check('edge_filter') in one kernel: first {times[0]:.2f} s, then {times[1:]}")
    assert max(times[1:]) <= times[0] / 5, times


def test_a_mistake_in_a_kernel_is_named_and_hint_and_solution_answer(edge_kernel):
    nb, _ = edge_kernel
    mistake, hint, solution = (_outputs(c) for c in nb.cells[-3:])
    assert "the kernel is flipped" in mistake and "score 25/25" not in mistake
    assert mistake.count("<svg") >= 3  # the heat maps of expected, yours and the difference
    assert "edge_filter, hint 1 of 3" in hint
    assert "# The reference solution of exercise 01 (edge_filter)" in solution  # it passed


def test_the_executed_notebook_renders_to_html_and_chromium_draws_it(
    edge_kernel, tmp_path, monkeypatch
):
    import nbconvert
    from nbconvert import HTMLExporter
    from PIL import Image

    nb, _ = edge_kernel
    # the templates nbconvert installed beside itself (a venv layered over it does not see them)
    monkeypatch.setenv("JUPYTER_PATH", str(Path(nbconvert.__file__).parents[4] / "share/jupyter"))
    body, _ = HTMLExporter().from_notebook_node(nb)
    page = tmp_path / "01_edge_filter.html"
    page.write_text(body, encoding="utf-8")
    wanted = os.environ.get("CNN_NOTEBOOK_SCREENSHOT")
    shot = Path(wanted) if wanted else tmp_path / "notebook.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.unlink(missing_ok=True)
    done = browse(
        page,
        tmp_path / "profile",
        "--hide-scrollbars",
        "--window-size=1100,5200",
        "--virtual-time-budget=5000",
        f"--screenshot={shot}",
    )
    assert shot.exists(), done.stderr[-2000:]
    pixels = Image.open(shot).convert("RGB")
    colours = {pixels.getpixel((x, y)) for x in range(0, 1100, 5) for y in range(0, 5200, 5)}
    # the heat maps' diverging scale, both ends: the check's pictures are drawn in the notebook
    assert (0x21, 0x66, 0xAC) in colours and (0xB3, 0x58, 0x06) in colours


@pytest.mark.slow
@pytest.mark.parametrize("exercise", EXERCISES[1:], ids=lambda e: e.id)
def test_every_notebook_passes_with_its_reference(exercise, stubs, tmp_path):
    nb = _run(_with_reference(exercise, stubs), tmp_path)
    shown = _outputs(nb.cells[-1])
    assert f"score {exercise.points}/{exercise.points} (passing)" in shown, shown[-3000:]


def test_a_graded_run_refuses_where_the_host_cannot_cage_student_code(tmp_path):
    import subprocess
    import sys

    (tmp_path / "batch" / "ann").mkdir(parents=True)
    (tmp_path / "batch" / "ann" / "02_count_parameters.py").write_text("X = 1\n")
    done = subprocess.run(
        [str(Path(sys.executable).with_name("grader")), "grade", str(tmp_path / "batch")]
        + ["--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, PRETEND_VARIABLE: "1"},
    )
    assert done.returncode == 2, done.stderr
    assert "this host cannot cage student code" in done.stderr
    assert not (tmp_path / "out" / "grades.csv").exists()

"""`grader check --html` and the figures behind it: what the checks draw (from values they
computed), the page (self-contained, escaped, drawn in Chromium), and a graded run's redaction
(hidden checks draw nothing, as they show no values)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from click.testing import CliRunner

from grader.checking.runner import run_checks
from grader.cli import main
from grader.reports.check_html import check_page
from grader.reports.feedback_html import feedback_html
from grader.reports.figures_html import figure_html
from grader.reports.gradebook import gradebook_json
from grader.workbook import state
from grader.workbook.catalog import exercise_by_id, load_catalog
from grader.workbook.figures import Scale, make_figure, make_panel
from grader.workbook.grading_key import seed_for
from grader.workbook.results import BatchRecord, CheckResult, SubmissionResult
from tests.chromium import browse as _browse
from tests.corpus import WRONG
from tests.helpers import write
from tests.test_corpus import _write_variant

HOSTILE_PRINT = "<script>alert('printed')</script><img src=x onerror=alert(1)>"
MISTAKES = ("flipped_kernel", "swapped_filters", "swapped_normalize", "confusion_transposed")


def _variant(name: str):
    return next(v for v in WRONG if v.name == name)


def _mixed_submission(folder: Path) -> Path:
    """01 with a flipped kernel, swapped filters and a hostile print; 06's Normalize statistics
    swapped; 07's confusion matrix transposed; 08 that never steps (trains for a few seconds)."""
    for name in (*MISTAKES, "never_steps"):
        _write_variant(_variant(name), folder)
    path = folder / "01_edge_filter.py"
    source = path.read_text()
    for old, new in _variant("flipped_kernel").edits + _variant("swapped_filters").edits:
        source = source.replace(old, new)
    signature = "def convolve2d(image: Tensor, kernel: Tensor, stride: int = 1, padding: int = 0)"
    assert signature in source
    source = source.replace(
        signature + " -> Tensor:\n", signature + f" -> Tensor:\n    print({HOSTILE_PRINT!r})\n"
    )
    path.write_text(source)
    return folder


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> SubmissionResult:
    folder = _mixed_submission(tmp_path_factory.mktemp("mixed"))
    ids = ("edge_filter", "data", "evaluate", "train_digits")
    return run_checks(submission=folder, exercises=[exercise_by_id(i) for i in ids])


def _check(result: SubmissionResult, exercise: str, name: str) -> CheckResult:
    return next(c for c in result.exercises[exercise].checks if c.name == name)


def _grid(panel) -> torch.Tensor:
    return torch.tensor([np.nan if v is None else v for v in panel.values]).view(
        panel.rows, panel.cols
    )


def test_a_flipped_kernels_figure_holds_the_grids_the_check_computed(mixed):
    check = _check(mixed, "edge_filter", "convolve2d_padding[1]")
    assert not check.passed
    (figure,) = check.figures
    expected, yours, difference = figure.panels
    assert [p.label for p in figure.panels] == ["expected", "yours", "yours - expected"]
    assert difference.scale is Scale.DIFFERENCE
    # the check's own inputs, drawn as it drew them (its seed, then image and kernel)
    torch.default_generator.manual_seed(
        seed_for(None, "checks/check_01_edge_filter.py::test_convolve2d_padding[1]")
    )
    image, kernel = torch.randn(5, 6), torch.randn(3, 3)
    right = F.conv2d(F.pad(image, (1, 1, 1, 1))[None, None], kernel[None, None])[0, 0]
    flipped = F.conv2d(F.pad(image, (1, 1, 1, 1))[None, None], kernel.flip(0, 1)[None, None])[0, 0]
    assert torch.allclose(_grid(expected), right, rtol=1e-3, atol=1e-3)
    assert torch.allclose(_grid(yours), flipped, rtol=1e-3, atol=1e-3)
    assert torch.allclose(_grid(difference), flipped - right, rtol=1e-3, atol=1e-3)
    differ = (~torch.isclose(flipped, right, 1e-4, 1e-4)).flatten()
    count = int(differ.sum())
    assert figure.caption.startswith(f"All {count} " if count == 30 else f"{count} of 30 ")
    outlined = tuple(torch.nonzero(differ).flatten().tolist()) if count <= 15 else ()
    assert yours.marked == difference.marked == outlined
    # carried by --json and grades.json: the same figure comes back
    assert CheckResult.from_json(check.to_json()).figures == check.figures


def test_each_exercise_draws_what_applies(mixed):
    swapped = _check(mixed, "edge_filter", "filter[horizontal]").figures
    assert [p.label for p in swapped[0].panels][1:] == [
        "the spec's horizontal_edge_filter",
        "your horizontal_edge_filter",
    ]
    (transform,) = _check(mixed, "data", "mnist_transform").figures
    assert (transform.panels[0].rows, transform.panels[0].cols) == (28, 28)
    (matrix,) = _check(mixed, "evaluate", "confusion_matrix").figures
    yours, expected = matrix.panels
    assert torch.equal(_grid(yours), _grid(expected).T) and yours.marked
    passing = _check(mixed, "evaluate", "confusion_matrix_uses_eval_mode")
    assert passing.passed and not passing.figures
    per_class, digits = _check(mixed, "train_digits", "held_out_accuracy_at_least[30%]").figures
    assert per_class.panels[0].scale is Scale.PERCENT and len(per_class.panels[0].values) == 10
    assert len(digits.panels) == 16
    assert all(re.fullmatch(r"predicted \d, true \d", p.label) for p in digits.panels)
    assert all(p.label.split()[1][0] != p.label.split()[-1] for p in digits.panels)
    assert not _check(mixed, "train_digits", "held_out_accuracy_at_least[50%]").figures


@pytest.fixture(scope="module")
def page(mixed, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("page") / "check.html"
    exercises = [e for e in load_catalog() if e.id in mixed.exercises]
    path.write_text(check_page(mixed, exercises, "/somewhere"), encoding="utf-8")
    return path


def test_the_page_has_the_heat_maps_and_fetches_nothing(page):
    text = page.read_text(encoding="utf-8")
    for label in ("expected", "yours", "yours - expected", "your horizontal_edge_filter"):
        assert f'aria-label="{label}"' in text
    assert "confusion matrix (rows: true label, columns: prediction)" in text
    assert "misclassified held-out digits" in text and "accuracy per class" in text
    assert text.count("<svg") > 40 and "data:image/png;base64," in text
    assert "colour scale" in text
    # self-contained: no script at all, nothing loaded from elsewhere
    assert "<script" not in text.replace(html.escape("<script"), "")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", text, re.I)
    assert "url(" not in text and "@import" not in text
    # the learner's printed output is text
    assert HOSTILE_PRINT not in text and html.escape(HOSTILE_PRINT) in text


def test_the_cells_that_differ_are_outlined_unless_most_do():
    from grader.checking.figures import comparison

    expected = torch.arange(12.0).view(3, 4)
    got = expected.clone()
    got[1, 2] = 99.0
    figure = comparison("one cell", expected, got)
    assert [p.marked for p in figure.panels] == [(), (6,), (6,)]
    assert figure.caption == "1 of 12 values differ (outlined)."
    assert comparison("same", expected, expected.clone()) is None
    most = comparison("most", expected, -expected - 1)
    assert most.panels[1].marked == () and most.caption == "All 12 values differ."
    text = figure_html(figure)
    assert text.count('stroke="#111"') == 2  # the one cell, in yours and in the difference


def test_a_right_confusion_matrix_is_drawn_alone_and_a_wrong_one_beside_the_expected():
    from grader.checking.figures import confusion

    counts = torch.tensor([[3, 1], [0, 2]])
    right = confusion(counts.clone(), counts)
    assert [p.label for p in right.panels] == ["yours"] and not right.caption
    assert right.panels[0].values == (3.0, 1.0, 0.0, 2.0)
    wrong = confusion(counts.T, counts)
    assert [p.label for p in wrong.panels] == ["yours", "expected"]
    assert wrong.panels[0].marked == (1, 2) and wrong.caption == "2 of 4 counts differ (outlined)."
    assert confusion("not a tensor", counts) is None
    assert confusion(torch.zeros(100, 100), counts) is None  # over 64x64: no figure


def test_labels_of_a_figure_are_escaped():
    panel = make_panel("<b>label</b>", 1, 2, [0.0, 1.0])
    text = figure_html(make_figure("<script>x</script>", (panel,), "<i>caption</i>"))
    assert "<script>" not in text and "<b>" not in text and "<i>" not in text
    assert "&lt;script&gt;x" in text


def test_the_page_in_chromium_and_a_screenshot_of_01s_heat_maps(mixed, tmp_path):
    from PIL import Image

    only_01 = tmp_path / "check-01.html"
    only_01.write_text(check_page(mixed, [exercise_by_id("edge_filter")], "/somewhere"))
    done = _browse(only_01, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("<svg") > 10 and "<script" not in done.stdout
    wanted = os.environ.get("CNN_CHECK_SCREENSHOT")
    shot = Path(wanted) if wanted else tmp_path / "check.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.unlink(missing_ok=True)
    done = _browse(
        only_01,
        tmp_path / "profile",
        "--hide-scrollbars",
        "--window-size=1100,1500",
        f"--screenshot={shot}",
    )
    assert shot.exists(), done.stderr[-2000:]
    pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=np.int16)

    def near(rgb: tuple[int, int, int]) -> int:
        return int((np.abs(pixels - np.array(rgb)).max(axis=2) <= 6).sum())

    # the diverging scale's two ends, as full cells of the heat maps and their legends
    assert near((0x21, 0x66, 0xAC)) > 300 and near((0xB3, 0x58, 0x06)) > 300


def test_a_graded_run_draws_nothing_for_hidden_checks(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    _write_variant(_variant("flipped_kernel"), folder)
    source = (folder / "01_edge_filter.py").read_text()
    for old, new in _variant("swapped_filters").edits:
        source = source.replace(old, new)
    (folder / "01_edge_filter.py").write_text(source)
    key = tmp_path / "grading.key"
    key.write_text("ab" * 32 + "\n")
    exercise = exercise_by_id("edge_filter")
    graded = run_checks(
        submission=folder, exercises=[exercise], pytest_args=[f"--grading-key-file={key}"]
    )
    checks = {c.name: c for c in graded.exercises["edge_filter"].checks}
    hidden = [n for n in checks if n.startswith(("convolve2d_matches", "convolve2d_padding"))]
    assert hidden and all(not checks[n].passed and not checks[n].figures for n in hidden)
    # the public check keeps its picture (its inputs and expected values are the spec's)
    assert checks["filter[horizontal]"].figures
    record = BatchRecord("s", "s", graded, ["edge_filter"])
    page = feedback_html(record)
    assert 'aria-label="your horizontal_edge_filter"' in page
    assert 'aria-label="yours - expected"' not in page
    book = gradebook_json({"s": record})["students"][0]["exercises"]["edge_filter"]["checks"]
    assert [c["name"] for c in book if "figures" in c] == ["filter[horizontal]"]


def test_grader_check_html_writes_the_page_and_keeps_the_terminal_output(tmp_path, monkeypatch):
    monkeypatch.setattr(state, "STATE_FILE", tmp_path / "state" / "state.json")
    write(tmp_path / "sub", "count_parameters")
    args = ["check", "--submission", str(tmp_path / "sub")]
    plain = CliRunner().invoke(main, [*args, "count_parameters"])
    with_page = CliRunner().invoke(main, [*args, "--html", "count_parameters"])
    assert plain.exit_code == with_page.exit_code == 0
    default = tmp_path / "state" / "check.html"
    assert with_page.output == plain.output + f"The results with pictures: {default}\n"
    assert "<h1>grader check</h1>" in default.read_text(encoding="utf-8")
    chosen = tmp_path / "mine.html"
    again = CliRunner().invoke(main, [*args, "--html", str(chosen), "count_parameters"])
    assert again.output.endswith(f"The results with pictures: {chosen}\n") and chosen.exists()
    wrong = CliRunner().invoke(main, [*args, "--html", "nonsense"])
    assert wrong.exit_code == 2 and "must end in .html" in wrong.output

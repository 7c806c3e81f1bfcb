"""The grading key: graded runs draw their inputs from it, the same key the same inputs, another
key other inputs, and a graded run's hidden checks show no input or expected value. (Two
`grader grade` runs with one key give one gradebook: tests/test_batch.py, on its class.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.checking.runner import run_checks
from grader.workbook.catalog import exercise_by_id
from grader.workbook.grading_key import (
    GradingKeyError,
    Seeds,
    key_for_run,
    parse_key,
    seed_for,
)
from grader.workbook.paths import SOLUTIONS_DIR

# convolve2d tells what it was given: the sum of its image, in its error message
ECHO = """
def convolve2d(image, kernel, stride=1, padding=0):
    raise ValueError(f"image sum {float(image.sum()):.6f}")
"""
FLIPPED = ("out[i, j] = (patch * kernel).sum()", "out[i, j] = (patch * kernel.flip(0, 1)).sum()")


def _key(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "grading.key"
    path.write_text(text + "\n")
    return path


def _messages(submission: Path, key: Path | None) -> dict[str, str]:
    args = [f"--grading-key-file={key}"] if key else []
    exercise = exercise_by_id("edge_filter")
    result = run_checks(submission=submission, exercises=[exercise], pytest_args=args)
    return {c.name: c.message for c in result.exercises["edge_filter"].checks}


@pytest.fixture(scope="module")
def echo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("echo")
    (folder / "01_edge_filter.py").write_text(
        (SOLUTIONS_DIR / "01_edge_filter.py").read_text() + ECHO
    )
    return folder


def test_two_keys_give_different_inputs_and_one_key_the_same(echo, tmp_path):
    """The seeds of every input: another key, other seeds; the same key, the same. Through a
    graded run the inputs cannot be seen (that is the point): the public run echoes its own."""
    labels = [f"checks/check_0{n}.py::test_x[{i}]" for n in range(1, 9) for i in range(20)]
    key_a, key_b = bytes.fromhex("aa" * 32), bytes.fromhex("bb" * 32)
    a = [seed_for(key_a, label) for label in labels]
    assert a == [seed_for(key_a, label) for label in labels]
    assert all(x != y for x, y in zip(a, (seed_for(key_b, label) for label in labels)))
    assert all(x != y for x, y in zip(a, (seed_for(None, label) for label in labels)))
    assert Seeds(None, "f").get("setup", 11) == 11 and Seeds(key_a, "f").get("setup", 11) != 11
    check = "convolve2d_padding[1]"
    public = _messages(echo, None)[check]
    assert re.search(r"image sum \S+", public) and _messages(echo, None)[check] == public
    graded = _messages(echo, _key(tmp_path / "a", "aa" * 32))[check]
    assert (
        "image sum" not in graded
        and graded == _messages(echo, _key(tmp_path / "b", "aa" * 32))[check]
    )


def test_a_graded_run_names_the_mistake_and_shows_no_values(tmp_path):
    folder = tmp_path / "flipped"
    folder.mkdir()
    source = (SOLUTIONS_DIR / "01_edge_filter.py").read_text()
    assert FLIPPED[0] in source
    (folder / "01_edge_filter.py").write_text(source.replace(*FLIPPED))
    public = _messages(folder, None)["convolve2d_matches_conv2d"]
    graded = _messages(folder, _key(tmp_path / "k", "cd" * 32))["convolve2d_matches_conv2d"]
    assert "Expected (3, 3)" in public and "Input:" in public and "flipped" in public
    assert "flipped" in graded, graded
    assert not re.search(r"Expected|Got|Input|\d\.\d", graded), graded


def test_a_new_key_is_made_once_and_kept_for_resume(tmp_path):
    path, made = key_for_run(tmp_path, None)
    assert made and len(parse_key(path.read_text())) == 32
    assert path.stat().st_mode & 0o777 == 0o600
    again, made_again = key_for_run(tmp_path, None)
    assert again == path and not made_again and again.read_text() == path.read_text()


@pytest.mark.parametrize("text", ["xyz", "ab" * 4, ""])
def test_a_bad_key_is_a_clear_error(text):
    with pytest.raises(GradingKeyError, match="grading key"):
        parse_key(text)


def test_printed_output_is_shown_in_public_runs_and_kept_from_hidden_graded_checks(tmp_path):
    folder = tmp_path / "printer"
    folder.mkdir()
    source = (SOLUTIONS_DIR / "01_edge_filter.py").read_text().replace(*FLIPPED)
    source = source.replace(
        "    kh, kw = kernel.shape\n",
        "    kh, kw = kernel.shape\n    print('PRINTED', image.sum())\n",
    )
    (folder / "01_edge_filter.py").write_text(source)
    exercise = exercise_by_id("edge_filter")
    key = _key(tmp_path / "k", "ef" * 32)
    public = run_checks(submission=folder, exercises=[exercise]).exercises["edge_filter"]
    graded = run_checks(
        submission=folder, exercises=[exercise], pytest_args=[f"--grading-key-file={key}"]
    ).exercises["edge_filter"]
    assert "PRINTED" in next(c.output for c in public.checks if c.name.startswith("convolve2d_pad"))
    hidden = [c for c in graded.checks if c.name.startswith("convolve2d_pad")]
    assert hidden and not any(c.output for c in hidden)


def test_a_graded_run_shows_no_text_of_the_students_code_in_hidden_checks(tmp_path):
    """An exception message or printed output could carry the secret inputs out (red team,
    2026-11-27: labels, parameters and image bytes in grades.json and the feedback files)."""
    folder = tmp_path / "leaky"
    folder.mkdir()
    source = (SOLUTIONS_DIR / "05_training_step.py").read_text()
    source += (
        "\n\ndef train_step(model, images, labels, optimizer, criterion):\n"
        "    print('PRINTLEAK', images.flatten()[:5].tolist())\n"
        "    raise ValueError(f'LEAK {labels.tolist()}')\n"
    )
    (folder / "05_training_step.py").write_text(source)
    exercise = exercise_by_id("training_step")
    key = _key(tmp_path / "k", "ab" * 32)

    def texts(args):
        result = run_checks(submission=folder, exercises=[exercise], pytest_args=args)
        checks = result.exercises["training_step"].checks
        return "\n".join(c.message + c.output for c in checks if "train_step" in c.name)

    public, graded = texts([]), texts([f"--grading-key-file={key}"])
    assert "LEAK [" in public and "PRINTLEAK" in public
    assert "LEAK" not in graded, graded
    assert "train_step raised ValueError at line" in graded

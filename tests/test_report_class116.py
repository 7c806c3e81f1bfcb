"""report.html on a 116-entry class (records built directly, the checks' real mistake texts, a
review.json with flags and similar pairs) answers an instructor's three questions in headless
Chromium, read from the rendered page: the most common mistake of each exercise with its count,
exactly who did not attempt exercise 05, and which pairs look copied (with their exercise and a
side-by-side link). Screenshots of the whole page and of the three answers go to the folder
$CNN_REPORT_SCREENSHOTS names (CI keeps them)."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import numpy as np
import pytest

from grader.commands.grade import write_gradebook, write_report
from grader.workbook.catalog import load_catalog
from grader.workbook.intake import Entry
from grader.workbook.results import (
    BatchRecord,
    CheckResult,
    ExerciseResult,
    Status,
    SubmissionResult,
)
from tests.chromium import ANSWERS, browse, run_harness

CATALOG = load_catalog()
BY_ID = {e.id: e for e in CATALOG}
# The checks' own texts (what `grader grade` wrote for the corpus's wrong variants). The two
# padding wordings differ only in their numbers: one mistake, each student counted once.
PAD = (
    "padding is ignored: with padding={0} the image must first get {0} row(s)/column(s) of zeros "
    "on every side."
)
MISTAKES = {
    "edge_filter": [
        (
            "the kernel is flipped. That is the textbook 'convolution'; nn.Conv2d (and this "
            "exercise) computes cross-correlation: multiply the patch by the kernel as it is, "
            "without flipping it.",
            17,
        ),
        (PAD.format(1), 9),
    ],
    "count_parameters": [
        (
            "the shared weight is counted twice. It is one tensor used by two layers: "
            "model.parameters() yields it once, but summing over every layer's own parameters (or "
            "named_parameters(remove_duplicate=False)) sees it twice.",
            11,
        ),
        (
            "buffers are counted as parameters. BatchNorm's running_mean, running_var and "
            "num_batches_tracked are in state_dict() but they are not learned: count "
            "model.parameters() only.",
            4,
        ),
    ],
    "simple_cnn": [
        ("fc1 must take 8 * 7 * 7 = 392 inputs: two poolings take 28 to 7.", 6),
        ("padding=1 is missing, so the output shrank to (H-2, W-2).", 5),
    ],
    "layer_tweaks": [
        ("a ReLU is applied although use_relu=False.", 7),
        ("no_relu must be TinyCNN(use_relu=False).", 3),
    ],
    "training_step": [
        (
            "gradients are not cleared before backward (no optimizer.zero_grad()): PyTorch adds "
            "new gradients to the old ones, so the step also applied the old gradients.",
            13,
        ),
    ],
    "data": [
        (
            "the transform is not applied: in __getitem__, return self.transform(image) when a "
            "transform was given.",
            8,
        ),
        (
            "the seed goes to torch's global generator (torch.manual_seed), which everything else "
            "draws from too, so the order depends on what ran in between. Give the DataLoader a "
            "generator of its own: g = torch.Generator(); g.manual_seed(seed); "
            "DataLoader(..., generator=g).",
            2,
        ),
    ],
    "evaluate": [
        (
            "the argmax is over the wrong dimension: dim=0 picks, for each class, the image with "
            "the highest score. Use dim=1, the class dimension.",
            10,
        ),
        (
            "call model.eval() first. In training mode dropout drops units at random and batch "
            "norm uses (and updates) the batch's statistics, so the predictions are noisy and "
            "wrong.",
            10,
        ),
    ],
    "train_digits": [],  # wrong answers there name no mistake: the overview says so
}
FIRST = "Ada Alan Bea Carl Dana Emil Fay Gus Hana Ivo Jun Kai Lea Max Nia Omar Pia Raj Sol Tove"
LAST = "Berg Chen Diaz Eko Fox Gray Hale Ito Juhl Kova Lind Moe Nash Ortiz Park Quist"
HOSTILE = "Zoë <img src=x onerror=alert(1)>"
_every = [f"{a} {b}" for a in FIRST.split() for b in LAST.split()]
STUDENTS = sorted([*random.Random(116).sample(_every, 115), HOSTILE])
rng = random.Random(5)
ABSENT_05 = sorted(rng.sample(STUDENTS[:100], 17) + [HOSTILE])  # a stub or no file
UNREADABLE = STUDENTS[100:102]  # a broken archive, an empty folder: not attempted, marked
SYNTAX = STUDENTS[102:105]  # 03's file does not load
WRONG_08 = STUDENTS[105:111]  # 08 wrong, no mistake named
PLAN: dict[str, dict[str, str]] = {s: {} for s in STUDENTS}  # student -> exercise -> mistake
_free = [s for s in STUDENTS[:100] if s not in ABSENT_05]
for exercise, named in MISTAKES.items():
    order = random.Random(exercise).sample(_free, len(_free))
    for mistake, count in named:
        for student in order[:count]:
            PLAN[student].setdefault(exercise, mistake)
        order = order[count:]
# where the padding mistake is also worded with padding=2 (the same students, counted once)
TWICE = [s for s in STUDENTS if PLAN[s].get("edge_filter") == PAD.format(1)][:4]
CROWD = STUDENTS[40:100]  # alike in 02 (a short exercise): one group, not 1,770 pairs
PAIRS = [  # (a, b, score, exercise file)
    (STUDENTS[3], STUDENTS[40], 0.97, "05_training_step.py"),
    (STUDENTS[12], STUDENTS[77], 0.91, "01_edge_filter.py"),
    (HOSTILE, STUDENTS[8], 0.84, "07_evaluate.py"),
    (STUDENTS[20], STUDENTS[21], 0.62, "03_simple_cnn.py"),
]


def _exercise(student: str, e) -> ExerciseResult:
    names = [f"{e.id}_check_{i}" for i in range(4)]
    each = e.points / 4

    def same(status: Status, message: str) -> ExerciseResult:
        return ExerciseResult(
            e.id, e.points, [CheckResult(n, status, 0, each, message) for n in names]
        )

    if e.id == "training_step" and student in ABSENT_05:
        return same(Status.NOT_ATTEMPTED, "train_step still raises NotImplementedError")
    if e.id == "simple_cnn" and student in SYNTAX:
        return same(Status.ERROR, f"SyntaxError in {e.filename}, line 3: invalid syntax")
    passed = [CheckResult(n, Status.PASSED, each, each) for n in names[:2]]
    mistake = PLAN[student].get(e.id)
    if e.id == "train_digits" and student in WRONG_08:
        mistake = ""
    if mistake is None:
        return ExerciseResult(
            e.id, e.points, passed + [CheckResult(n, Status.PASSED, each, each) for n in names[2:]]
        )
    other = PAD.format(2) if student in TWICE and mistake == PAD.format(1) else mistake
    wrong = [
        CheckResult(names[2], Status.FAILED, 0, each, "Got: x", mistake),
        CheckResult(names[3], Status.FAILED, 0, each, "Got: y", other),
    ]
    return ExerciseResult(e.id, e.points, passed + wrong)


def _record(student: str) -> BatchRecord:
    key = Entry(student, Path(student)).key
    if student in UNREADABLE:
        note = "the archive could not be read"
        exercises = {
            e.id: ExerciseResult(
                e.id, e.points, [CheckResult("submission", Status.NOT_ATTEMPTED, 0, e.points, note)]
            )
            for e in CATALOG
        }
        return BatchRecord(student, key, SubmissionResult(exercises), list(BY_ID), notes=[note])
    exercises = {e.id: _exercise(student, e) for e in CATALOG}
    return BatchRecord(student, key, SubmissionResult(exercises), list(BY_ID))


REVIEW = {
    "flags": [
        {
            "student": STUDENTS[30],
            "kind": "ctypes",
            "what": "import ctypes",
            "file": "01_edge_filter.py",
            "line": 1,
        },
        {
            "student": STUDENTS[31],
            "kind": "frame walking",
            "what": "sys._getframe(1)",
            "file": "06_data.py",
            "line": 40,
        },
    ],
    "similarity": {
        "threshold": 0.5,
        "pairs": [
            {
                "a": a,
                "b": b,
                "score": 0.99,  # its most alike file is 02's common answer, in the crowd
                "page": f"similarity/pair{i}.html",
                "files": {name: score, "02_count_parameters.py": 0.99, "04_layer_tweaks.py": 0.2},
                "crowd": False,
                "standout": [name],
            }
            for i, (a, b, score, name) in enumerate(PAIRS)
        ]
        + [  # 02's common answer: pairs inside the group, listed after the others
            {
                "a": a,
                "b": b,
                "score": 0.99,
                "page": f"similarity/crowd{i}.html",
                "files": {"02_count_parameters.py": 0.99},
                "crowd": True,
                "standout": [],
            }
            for i, (a, b) in enumerate(zip(CROWD, CROWD[1:]))
        ],
        "pairs_over_threshold": 1800,
        "groups": [
            {
                "file": "02_count_parameters.py",
                "students": CROWD,
                "pairs": 1770,
                "low": 0.81,
                "high": 1.0,
            }
        ],
    },
}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("class116")
    records = {s: _record(s) for s in STUDENTS}
    assert len(records) == 116
    write_gradebook(folder, records)
    (folder / "review.json").write_text(json.dumps(REVIEW))
    write_report(folder, records)
    return folder


@pytest.fixture(scope="module")
def seen(out, tmp_path_factory) -> dict:
    profile = tmp_path_factory.mktemp("profile")
    return run_harness(out / "report.html", profile, ANSWERS, "--window-size=1280,1000")


def test_the_most_common_mistake_of_each_exercise_with_its_count(seen):
    assert seen["alerts"] == 0
    top = {exercise: (mistake, count) for exercise, mistake, count in seen["top"]}
    assert list(top) == [e.id for e in CATALOG]
    for exercise, named in MISTAKES.items():
        if not named:
            assert top[exercise] == ("none named", "–"), exercise
            continue
        mistake, count = max(named, key=lambda m: m[1])  # ties: the first in alphabetical order
        best = [m for m, c in named if c == count]
        assert top[exercise] == (min(best), str(count)), exercise
    # counted by student, the two wordings of the padding mistake as one
    assert top["edge_filter"][1] == "17"


def test_exactly_who_did_not_attempt_05_is_listed_by_name(seen):
    listed = dict(seen["absent"])
    assert sorted(listed) == sorted(ABSENT_05 + UNREADABLE)
    assert {s for s, tag in listed.items() if tag} == set(UNREADABLE)
    assert seen["absentHead"].endswith(f"{len(ABSENT_05) + 2} of 116 students did not attempt it")
    assert not seen["absentFolded"]  # 20 names: shown, not folded
    assert (
        "#absent-training_step" in seen["contents"] and "#mistakes-edge_filter" in seen["contents"]
    )


def test_the_similar_pairs_with_their_exercise_and_side_by_side_link(seen):
    expected = [
        [
            f"{score:.2f}",
            a,
            b,
            f"{name} {score:.2f} and 1 more alike, in groups",
            f"similarity/pair{i}.html",
        ]
        for i, (a, b, score, name) in enumerate(PAIRS)
    ]
    # most alike by the file that sets each apart, its score shown (not 02's 0.99, the crowd's);
    # 04's 0.20 is under the threshold
    assert seen["pairs"] == expected
    assert seen["pairsHead"] == f"Similar pairs ({len(PAIRS)}) (threshold 0.5)"
    # the crowd of 02 is one line, its pairs folded away
    assert seen["groups"] == [["02_count_parameters.py", str(len(CROWD)), "1770"]]
    assert seen["crowdPairs"] == len(CROWD) - 1
    assert "#pairs" in seen["contents"] or "#integrity" in seen["contents"]


def test_screenshots_of_the_page_and_of_the_three_answers(out, seen, tmp_path):
    """Written to $CNN_REPORT_SCREENSHOTS (CI sets it): the whole page, and each answer's section
    cut from it (from its heading to the next section's, at most 2,400 pixels)."""
    from PIL import Image

    folder = Path(os.environ.get("CNN_REPORT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / "class116-full.png"
    shot.unlink(missing_ok=True)
    height = min(seen["height"] + 20, 16_000)
    done = browse(
        out / "report.html",
        tmp_path / "profile",
        "--hide-scrollbars",
        f"--window-size=1280,{height}",
        f"--screenshot={shot}",
    )
    assert shot.exists(), done.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    full = np.asarray(image, dtype=np.int16)
    dark_blue = int((np.abs(full - np.array([0x21, 0x66, 0xAC])).max(axis=2) <= 4).sum())
    assert dark_blue > 50_000, f"the heat map's full-marks cells are missing ({dark_blue})"
    tops = seen["sections"]
    for name, start, end in (
        ("mistakes", tops["mistakes"], tops["absent"]),
        ("absent", tops["absent"], tops["integrity"]),
        ("pairs", tops["integrity"], tops["loading"]),
    ):
        assert 0 < start < end <= height, (name, start, end)
        part = image.crop((0, int(start) - 8, 1280, int(min(end, start + 2400))))
        part.save(folder / f"class116-{name}.png")
        assert (np.asarray(part).min(axis=2) < 200).mean() > 0.01, name  # not blank


def test_a_long_list_of_names_opens_on_demand():
    from grader.reports.class_sections import FOLD, name_list

    pages = {s: f"feedback/{i}.html" for i, s in enumerate(STUDENTS)}
    assert "<details>" not in name_list(STUDENTS[:FOLD], pages)
    folded = name_list(STUDENTS[: FOLD + 1], pages)
    assert folded.startswith(f"<details><summary>show the {FOLD + 1} names</summary>")
    assert folded.count("<li>") == FOLD + 1 and "&lt;img" in name_list([HOSTILE], pages)

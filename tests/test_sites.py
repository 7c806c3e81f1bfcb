"""One batch per course site, written from the site's documented naming rule (not copied from one
example): names with underscores, two students with one name, a name holding another site's
pattern, and the site's whole download left zipped. Intake only: nothing is graded here."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from grader.workbook.catalog import exercise_by_id
from grader.workbook.intake import IntakeError, survey, take_in
from tests.site_class import COUNT, EDGE, ref, stub

TWO = [exercise_by_id("edge_filter"), exercise_by_id("count_parameters")]
T1, T2 = "2026-11-02-10-31-07", "2026-11-03-09-00-00"


def _write(batch: Path, files: dict[str, str | bytes]) -> Path:
    for name, text in files.items():
        path = batch / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode() if isinstance(text, str) else text)
    return batch


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, text in files.items():
            zipped.writestr(name, text)
    return buffer.getvalue()


def _chosen(batch: Path, **options) -> dict[str, tuple[str, dict[str, str], str]]:
    """student -> (site id, {exercise: file graded}, note)."""
    found = survey(batch, **options)
    table = {}
    for entry in found.entries:
        intake = take_in(entry.items, TWO, entry.precedence)
        files = {k: v.path for k, v in intake.chosen.items()}
        table[entry.student] = (entry.site_id, files, "; ".join([*entry.notes, intake.note]))
    return table


def canvas_name(login: str, user: int, file: int, own: str, late: bool = False) -> str:
    # Canvas: <name>[_late]_<user id>_<attachment id>_<the student's own file name>
    return f"{login}{'_late' if late else ''}_{user}_{file}_{own}"


def test_canvas_ids_late_marks_and_a_classmate_named_inside_a_file_name(tmp_path):
    attack = f"x_kpatel_attempt_{T1}_{EDGE}"  # Blackboard's pattern inside a student's own name
    batch = _write(
        tmp_path / "b",
        {
            canvas_name("kpatel", 101, 1, EDGE): ref(EDGE),
            canvas_name("leewei", 102, 2, EDGE, late=True): ref(EDGE),
            canvas_name("leewei", 103, 3, COUNT): ref(COUNT),  # same name, another student
            canvas_name("mallory", 104, 4, attack): stub(EDGE),
            canvas_name("olga", 105, 5, "cnn_work_book.zip"): _zip({EDGE: ref(EDGE)}),
        },
    )
    found = survey(batch)
    assert found.site == "canvas" and len(found.entries) == 5
    table = _chosen(batch)
    assert table["kpatel (101)"][1] == {"edge_filter": EDGE}  # keeps their own file
    assert table["mallory (104)"][1] == {} and f"ignored {attack}" in table["mallory (104)"][2]
    assert table["leewei (102)"][1] == {"edge_filter": EDGE}
    assert table["leewei (103)"][1] == {"count_parameters": COUNT}
    late = {e.student: e.late for e in found.entries}
    assert late["leewei (102)"] == "LATE (Canvas)" and late["kpatel (101)"] == ""
    assert table["olga (105)"][1] == {"edge_filter": f"cnn_work_book.zip/{EDGE}"}


def moodle_folder(full_name: str, participant: int, plugin: str) -> str:
    # Moodle "download in folders": <Full Name>_<participant id>_assignsubmission_<plugin>_
    return f"{full_name}_{participant}_assignsubmission_{plugin}_"


def test_moodle_one_participant_one_submission_and_two_participants_with_one_name(tmp_path):
    batch = _write(
        tmp_path / "b",
        {
            f"{moodle_folder('Ana Ruiz', 48218, 'file')}/{EDGE}": ref(EDGE),
            f"{moodle_folder('Ana Ruiz', 48218, 'onlinetext')}/onlinetext.html": "<p>hi</p>",
            f"{moodle_folder('Ana Ruiz', 48219, 'file')}/{COUNT}": ref(COUNT),
            f"{moodle_folder('Jo_Underscore Smith', 48220, 'file')}/{EDGE}": ref(EDGE),
            f"{moodle_folder('Kim 12_34_5', 48221, 'file')}/x/{EDGE}": ref(EDGE),
        },
    )
    table = _chosen(batch)
    assert set(table) == {
        "Ana Ruiz (48218)",
        "Ana Ruiz (48219)",
        "Jo_Underscore Smith (48220)",
        "Kim 12_34_5 (48221)",
    }
    ana = table["Ana Ruiz (48218)"]
    assert ana[1] == {"edge_filter": f"file/{EDGE}"}  # the file folder and the online text: one
    assert "onlinetext/onlinetext.html" in ana[2]  # the file not graded is named
    assert table["Ana Ruiz (48219)"][1] == {"count_parameters": COUNT}


def test_canvas_logins_keep_their_underscores_and_an_online_text_entry_is_a_student(tmp_path):
    # Canvas keeps \w in its sortable name: the underscore stays; a text entry has no file id
    batch = _write(
        tmp_path / "b",
        {
            canvas_name("jonesmary_ann", 202, 7, EDGE): ref(EDGE),
            canvas_name("jonesmary_ann", 202, 8, COUNT): ref(COUNT),
            canvas_name("kpatel", 101, 1, EDGE): ref(EDGE),
            "ivanovdmitri_223_text.html": "<p>I could not finish</p>",
        },
    )
    table = _chosen(batch)
    assert set(table) == {"jonesmary_ann (202)", "kpatel (101)", "ivanovdmitri (223)"}
    assert table["jonesmary_ann (202)"][1] == {"edge_filter": EDGE, "count_parameters": COUNT}
    assert table["ivanovdmitri (223)"][1] == {} and "text.html" in table["ivanovdmitri (223)"][2]


@pytest.mark.parametrize("trailing", ["", "_"], ids=["moodle-4.1", "moodle-3.x"])
def test_moodle_folders_with_or_without_the_trailing_underscore(tmp_path, trailing):
    def folder(name: str, participant: int, plugin: str) -> str:
        return f"{name}_{participant}_assignsubmission_{plugin}{trailing}"

    batch = _write(
        tmp_path / "b",
        {
            f"{folder('Lucía Fernández', 1204505, 'file')}/{EDGE}": ref(EDGE),
            f"{folder('Lucía Fernández', 1204505, 'onlinetext')}/onlinetext.html": "<p>x</p>",
            f"{folder('Wei Zhang', 1204510, 'file')}/{EDGE}": ref(EDGE),
            f"{folder('Wei Zhang', 1204527, 'file')}/{COUNT}": ref(COUNT),
        },
    )
    table = _chosen(batch)
    assert set(table) == {
        "Lucía Fernández (1204505)",
        "Wei Zhang (1204510)",
        "Wei Zhang (1204527)",
    }
    assert table["Lucía Fernández (1204505)"][1] == {"edge_filter": f"file/{EDGE}"}


def test_the_file_of_the_exact_name_beats_a_copy_beside_it(tmp_path):
    copy = EDGE.replace(".py", " copy.py")
    batch = _write(
        tmp_path / "b", {f"ann/{EDGE}": ref(EDGE), f"ann/{copy}": ref(EDGE) + "\nOLDER = 1\n"}
    )
    table = _chosen(batch)
    assert table["ann"][1] == {"edge_filter": EDGE}
    assert f"ignored {copy} (a copy beside the file of the exact name)" in table["ann"][2]


def test_moodle_without_folders_prefixes_each_file(tmp_path):
    # Moodle's default download: <Full Name>_<participant id>_assignsubmission_<plugin>_<file>
    batch = _write(
        tmp_path / "b",
        {
            f"{moodle_folder('Ana Ruiz', 7, 'file')}{EDGE}": ref(EDGE),
            f"{moodle_folder('Ana Ruiz', 7, 'onlinetext')}onlinetext.html": "<p>x</p>",
            f"{moodle_folder('Ana Ruiz', 8, 'file')}{COUNT}": ref(COUNT),
        },
    )
    table = _chosen(batch)
    assert table["Ana Ruiz (7)"][1] == {"edge_filter": EDGE}
    assert "onlinetext.html" in table["Ana Ruiz (7)"][2]
    assert table["Ana Ruiz (8)"][1] == {"count_parameters": COUNT}


def blackboard_name(assignment: str, user: str, time: str, own: str = "") -> str:
    # Blackboard: <Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>[_<file name>] (+ .txt)
    return f"{assignment}_{user}_attempt_{time}" + (f"_{own}" if own else ".txt")


def _receipt(name: str, user: str, comment: str = "") -> str:
    return (
        f"Name: {name} ({user})\nAssignment: Lab_3 CNN\nDate Submitted: Monday\n"
        "Current Grade: Needs Grading\n\nSubmission Field:\nThere is no student submission "
        f"text data for this assignment.\n\nComments:\n{comment or 'None.'}\n\nFiles:\n"
    )


def test_blackboard_usernames_with_underscores_and_the_later_attempt(tmp_path):
    lab = "Lab_3 CNN"  # an assignment name may hold "_" too
    batch = _write(
        tmp_path / "b",
        {
            blackboard_name(lab, "x_name", T1, EDGE): stub(EDGE),
            blackboard_name(lab, "x_name", T1): _receipt("Xi Name", "x_name"),
            blackboard_name(lab, "x_name", T2, EDGE): ref(EDGE),
            blackboard_name(lab, "x_name", T2): _receipt("Xi Name", "x_name", "extension, ok?"),
            blackboard_name(lab, "jdoe", T1, COUNT): ref(COUNT),
            blackboard_name(lab, "jdoe", T1): _receipt("Jane Doe", "jdoe"),
        },
    )
    found = survey(batch)
    assert found.site == "blackboard"
    table = _chosen(batch)
    assert set(table) == {"x_name", "jdoe"}
    site_id, files, note = table["x_name"]
    assert site_id == "x_name" and files == {"edge_filter": f"attempt {T2}/{EDGE}"}
    assert f"graded the latest, {T2}" in note and "extension, ok?" in note
    assert f"ignored attempt {T1}/{EDGE}" in note
    assert {e.student: e.display for e in found.entries}["x_name"] == "Xi Name"


def test_blackboard_without_receipts_finds_the_assignment_common_to_the_batch(tmp_path):
    lab = "Lab 3"
    batch = _write(
        tmp_path / "b",
        {
            blackboard_name(lab, "x_name", T1, EDGE): ref(EDGE),
            blackboard_name(lab, "amy", T1, EDGE): ref(EDGE),
            blackboard_name(lab, "bo_b", T2, COUNT): ref(COUNT),
        },
    )
    assert set(_chosen(batch)) == {"x_name", "amy", "bo_b"}


def test_classroom_prefix_common_to_the_batch_or_given(tmp_path):
    batch = _write(
        tmp_path / "b",
        {
            f"cnn-lab-alice-k/{EDGE}": ref(EDGE),
            f"cnn-lab-bob/exercises/{EDGE}": stub(EDGE),  # stubs untouched, work at the root
            f"cnn-lab-bob/{EDGE}": ref(EDGE),
            f"cnn-lab-carol_x/{COUNT}": ref(COUNT),
        },
    )
    table = _chosen(batch)
    assert set(table) == {"alice-k", "bob", "carol_x"}
    assert table["bob"][1] == {"edge_filter": EDGE}
    assert "exercises/01_edge_filter.py (the stub as handed out" in table["bob"][2]
    assert set(_chosen(batch, prefix="cnn-lab-")) == {"alice-k", "bob", "carol_x"}


@pytest.mark.parametrize("site", ["canvas", "moodle", "blackboard"])
def test_a_sites_whole_download_left_zipped_is_refused_saying_what_to_do(tmp_path, site):
    if site == "blackboard":
        members = {
            blackboard_name("Lab 3", "amy", T1, EDGE): ref(EDGE),
            blackboard_name("Lab 3", "bo_b", T1, EDGE): ref(EDGE),
        }
        zipped = "gradebook_CNN101_Lab203_2026-11-05-10-00-00.zip"
    elif site == "canvas":
        members = {canvas_name("amy", 1, 2, EDGE): ref(EDGE), canvas_name("bo", 3, 4, EDGE): "x"}
        zipped = "submissions.zip"
    else:
        members = {
            f"{moodle_folder('Amy A', 1, 'file')}/{EDGE}": ref(EDGE),
            f"{moodle_folder('Bo B', 2, 'file')}/{EDGE}": ref(EDGE),
        }
        zipped = "CNN-Lab 3-1234.zip"
    batch = _write(tmp_path / "b", {zipped: _zip(members), f"carl/{EDGE}": ref(EDGE)})
    with pytest.raises(IntakeError, match="whole download .2 students.*unzip it"):
        survey(batch)
    # unzipped already, the zip left beside its files: the advice is to move the zip out
    _write(batch, members)
    with pytest.raises(IntakeError, match="already unzipped beside it.*move '.*' out of the"):
        survey(batch)


def test_files_not_graded_are_named_py_txt_notebooks_and_rar(tmp_path):
    batch = _write(
        tmp_path / "b",
        {
            "ann/01_edge_filter.py.txt": ref(EDGE),
            "ann/work.ipynb": "{}",
            "ann/more.rar": b"Rar!\x1a\x07\x00",
            "ann/README.md": "hello",
        },
    )
    _, files, note = _chosen(batch)["ann"]
    assert files == {"edge_filter": "01_edge_filter.py.txt"}
    assert "graded 01_edge_filter.py.txt as 01_edge_filter.py" in note
    assert "more.rar is a .rar archive, which the grader does not open" in note
    assert "README.md" in note and "work.ipynb" in note


def test_a_sites_whole_download_unzipped_one_level_down_is_refused(tmp_path):
    batch = _write(
        tmp_path / "b",
        {
            f"submissions/{canvas_name('amy', 1, 2, EDGE)}": ref(EDGE),
            f"submissions/{canvas_name('bo', 3, 4, EDGE)}": ref(EDGE),
            f"carl/{EDGE}": ref(EDGE),
        },
    )
    with pytest.raises(IntakeError, match="submissions/ holds Canvas's whole download .2 students"):
        survey(batch)


def test_two_students_with_one_first_name_are_no_classroom_but_two_clones_are(tmp_path):
    plain = _write(tmp_path / "p", {f"mary-ann/{EDGE}": ref(EDGE), f"mary-beth/{EDGE}": ref(EDGE)})
    assert set(_chosen(plain)) == {"mary-ann", "mary-beth"}
    clones = _write(
        tmp_path / "c",
        {
            f"lab-amy/{EDGE}": ref(EDGE),
            "lab-amy/.git/HEAD": "ref: refs/heads/main\n",
            f"lab-bo-k/{EDGE}": ref(EDGE),
            "lab-bo-k/.git/HEAD": "ref: refs/heads/main\n",
        },
    )
    assert set(_chosen(clones)) == {"amy", "bo-k"}


def test_a_prefix_shared_by_some_folders_only_is_no_classroom_assignment(tmp_path):
    names = ["ann-py", "ann-tagged", "ann-untagged", "bob-py", "bob-tagged", "bob-untagged"]
    plain = _write(tmp_path / "p", {f"{name}/{EDGE}": ref(EDGE) for name in names})
    assert set(_chosen(plain)) == set(names)


def test_classroom_folders_beside_a_canvas_export_keep_their_usernames(tmp_path):
    batch = _write(
        tmp_path / "b",
        {
            **{canvas_name(n, i, i, EDGE): ref(EDGE) for i, n in enumerate(["a", "b", "c", "d"])},
            **{f"cnn-lab-{u}/{EDGE}": ref(EDGE) for u in ("amy", "bo_b", "cy-d")},
        },
    )
    table = _chosen(batch)
    assert {"amy", "bo_b", "cy-d", "a (0)", "d (3)"} <= set(table) and len(table) == 7

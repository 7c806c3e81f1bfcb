"""Intake without grading: which file is chosen per exercise and the note that says so, student
ids from course sites' export names, duplicates, and archive caps."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from grader.workbook import gather
from grader.workbook.catalog import exercise_by_id, load_catalog
from grader.workbook.identity import read_name
from grader.workbook.intake import IntakeError, exercise_of, survey, take_in
from tests.site_class import EDGE, make_site_class, ref

TWO = [exercise_by_id("edge_filter"), exercise_by_id("count_parameters")]


@pytest.fixture(scope="module")
def site_batch(tmp_path_factory) -> tuple[Path, dict]:
    batch = tmp_path_factory.mktemp("sites") / "batch"
    return batch, make_site_class(batch)


def test_every_entry_maps_to_its_student_with_the_expected_files_and_note(site_batch):
    batch, expected = site_batch
    found = survey(batch)
    assert len(found.entries) == len(expected) >= 20 and not found.ignored
    for entry in found.entries:
        edge, count, note, site_id = expected[entry.student]
        intake = take_in(entry.items, TWO, entry.precedence)
        assert ("edge_filter" in intake.chosen) == (edge > 0 or entry.student == "paula")
        assert entry.site_id == site_id, entry
        assert note in intake.note if note else intake.note == "", (entry.student, intake.note)


@pytest.mark.parametrize(
    "name, matches",
    [
        ("01_edge_filter.py", True),
        ("01_Edge_Filter.PY", True),
        ("01_edge_filter (1).py", True),
        ("01_edge_filter-2.py", True),
        ("01_edge_filter copy.py", True),
        ("01_edge_filter copy 2.py", True),
        ("01_edge_filter.ipynb", False),
        ("1_edge_filter.py", False),
        ("01_edge_filterx.py", False),
        ("02_edge_filter.py", False),
    ],
)
def test_names_match_ignoring_case_and_copy_suffixes(name, matches):
    assert (exercise_of(name, list(load_catalog())) is not None) == matches


@pytest.mark.parametrize(
    "name, folder, student, site_id",
    [
        ("smithjohn_late_12345_67890_01_edge_filter.py", False, "smithjohn", "12345"),
        ("smithjohn_12345_67890_cnn.zip", False, "smithjohn", "12345"),
        ("Fatima Al-Sayed_48213_assignsubmission_file_", True, "Fatima Al-Sayed", "48213"),
        ("Lab 3_jdoe_attempt_2026-11-02-10-31-07_01_edge_filter.py", False, "jdoe", "jdoe"),
        ("submission_123", True, "submission_123", "123"),
        ("alice.tar.gz", False, "alice", ""),
        ("alice.TGZ", False, "alice", ""),
        ("alice", True, "alice", ""),
    ],
)
def test_site_suffixes_are_parsed_off(name, folder, student, site_id):
    parsed = read_name(name, folder)
    assert (parsed.student, parsed.site_id) == (student, site_id)


def test_two_entries_of_one_student_are_an_error_naming_both(tmp_path):
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / EDGE).write_text(ref(EDGE))
    with zipfile.ZipFile(tmp_path / "alice.zip", "w") as zipped:
        zipped.writestr(EDGE, "x = 1\n")
    with pytest.raises(IntakeError, match="alice and alice.zip"):
        survey(tmp_path)
    newest = survey(tmp_path, "newest").entries
    assert (
        len(newest) == 1 and newest[0].path.name == "alice.zip" and newest[0].dropped == ("alice",)
    )
    assert survey(tmp_path, "oldest").entries[0].path.name == "alice"


def test_a_large_archive_is_listed_not_extracted(tmp_path, monkeypatch):
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"big/{EDGE}", ref(EDGE))
        zipped.writestr("big/data.bin", b"\0" * (3 * 1024**2))
        zipped.writestr("big/02_count_parameters.py", b"#" * (3 * 1024**2))  # over the file cap
    intake = take_in([(archive, archive.name)], TWO)
    assert list(intake.chosen) == ["edge_filter"]
    assert "big.zip/big/02_count_parameters.py is larger than 2 MB, not read" in intake.note
    assert "skipped 1 other file(s) unread" in intake.note
    monkeypatch.setattr(gather, "MAX_READ_BYTES", 10)  # the budget for one entry is a cap too
    assert take_in([(archive, archive.name)], TWO).chosen == {}


def test_links_are_not_followed(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / EDGE).symlink_to(Path(ref.__code__.co_filename))
    intake = take_in([(tmp_path / "s", "s")], TWO)
    assert intake.chosen == {} and f"{EDGE} is a link, not followed" in intake.note

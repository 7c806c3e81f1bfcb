"""Moodle's export lands in the instructor's existing grade item, found by its title."""

from __future__ import annotations

from grader.exports.lms.moodle_column import MOODLE_POINTS, moodle_column
from grader.exports.lms.roster_file import parse_roster

ROSTER = (
    "First name,Last name,ID number,Email address,Assignment: CNN workbook (Real),"
    "Assignment: Lab 2 (Real),Course total (Real)\n"
    "Ana,Ruiz,s1,ana@example.edu,-,50.00,50.00\n"
)


def test_the_existing_column_is_found_by_title_and_kept_as_moodle_wrote_it():
    column = moodle_column(parse_roster(ROSTER), "cnn workbook", None)
    assert column.header == "Assignment: CNN workbook (Real)" and column.existing
    assert column.points == MOODLE_POINTS


def test_a_title_the_roster_lacks_is_a_new_column():
    column = moodle_column(parse_roster(ROSTER), "Lab 9", 40)
    assert (column.header, column.points, column.existing) == ("Lab 9", 40, False)


def test_a_moodle_student_is_found_by_name_and_one_name_for_two_is_never_guessed():
    from grader.exports.lms.roster_match import MOODLE, Graded, join

    roster = parse_roster("First name,Last name,Email address\nAna,Ruiz,a@x.edu\nBo,Li,b@x.edu\n")
    ana = Graded("Ana Ruiz (48218)", 10, "moodle", "48218", "Ana Ruiz")
    bo = Graded("Bo Li (48300)", 9, "moodle", "48300", "Bo Li")
    assert {i: g.student for i, (g, _) in join([ana, bo], roster, MOODLE).matched.items()} == {
        0: "Ana Ruiz (48218)",
        1: "Bo Li (48300)",
    }
    twin = Graded("Ana Ruiz (48219)", 5, "moodle", "48219", "Ana Ruiz")
    joined = join([ana, twin], roster, MOODLE)
    assert 0 not in joined.matched and len(joined.ambiguous) == 2

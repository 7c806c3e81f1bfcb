"""Moodle's export lands in the instructor's existing grade item, found by its title."""

from __future__ import annotations

from grader.reports.lms_moodle import MOODLE_POINTS, moodle_column
from grader.workbook.roster_file import parse_roster

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

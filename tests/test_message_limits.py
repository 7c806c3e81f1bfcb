"""A failed check reads in ten seconds: at most 22 terminal lines (cut with a pointer to the whole
message) and never two whole records side by side (tests/message_limits.py); the corpus is held
to both in tests/test_corpus.py."""

from __future__ import annotations

import pytest

from grader.reports.terminal import MAX_LINES, format_check
from grader.workbook.results import CheckResult, Status
from tests.message_limits import record_dumps


def test_a_long_message_is_cut_with_a_pointer_to_the_whole():
    message = "\n".join(f"line {i}" for i in range(40))
    block = format_check(CheckResult("c", Status.FAILED, 0, 1, message), color=False)
    assert len(block) == 1 + MAX_LINES
    assert "line 20" in block[-2] and "line 21" not in "\n".join(block)
    assert block[-1].strip() == "... 19 more lines: `grader check --json` shows the whole message"


def test_a_message_within_the_limit_is_left_whole():
    message = "\n".join(f"line {i}" for i in range(MAX_LINES))
    block = format_check(CheckResult("c", Status.FAILED, 0, 1, message), color=False)
    assert len(block) == 1 + MAX_LINES and "more lines" not in block[-1]


def test_two_dict_dumps_are_found_and_one_or_a_tuple_is_not():
    two = "It is {'conv': (1, 3), 'fc': ('Linear', 2352, 3)}, expected {'conv': (1, 3), 'fc': 1}."
    assert len(record_dumps(two)) == 2
    assert len(record_dumps("It is {'conv': 1, 'fc': 2}.")) == 1
    assert record_dumps("It is (3, 4), expected (4, 3); {'fc'} only; f'{x}'") == []
    state = "Error(s) in loading state_dict for A: x\nError(s) in loading state_dict for B: y"
    assert len(record_dumps(state)) == 2


def test_two_records_that_differ_are_told_by_their_differing_fields():
    from grader.checking.compare import CheckFailure, expect_value

    mine = {"conv": ("Conv2d", 1, 3), "conv2": None, "fc": ("Linear", 2352, 10, True)}
    want = {"conv": ("Conv2d", 1, 3), "conv2": None, "fc": ("Linear", 2028, 10, True)}
    with pytest.raises(CheckFailure) as failed:
        expect_value(mine, want, what="the layers")
    text = failed.value.full()
    assert "fc has in_features=2352 (expected in_features=2028)." in text
    assert record_dumps(text) == [] and "conv2" not in text

"""Similar pairs in a class where many hand in alike files of one exercise (a common answer to a
short exercise): that crowd is one group, and its pairs are listed after a copy outside it, whose
file that sets it apart is named. The stubs are made from the references (exercises/ unread)."""

from __future__ import annotations

import ast

from grader.review.similarity import CROWD, similar_pairs
from grader.workbook.paths import SOLUTIONS_DIR
from tests.helpers import stub_text
from tests.review_class import INDEPENDENT, renamed

EDGE, COUNT = "01_edge_filter.py", "02_count_parameters.py"
NAMES = {"edge_filter": EDGE, "count_parameters": COUNT}
STARTERS = {e: stub_text(name) for e, name in NAMES.items()}


def test_a_copy_comes_before_a_crowd_of_look_alikes_which_is_one_group():
    common = (SOLUTIONS_DIR / COUNT).read_text()
    own = (INDEPENDENT / "independent_a" / EDGE).read_text()
    crowd = [f"s{i}" for i in range(CROWD)] + ["zz1", "zz2"]  # the copiers sort last
    texts = {s: {"count_parameters": f"# {s}\n{common}"} for s in crowd}
    texts["zz1"]["edge_filter"] = own
    texts["zz2"]["edge_filter"] = renamed(own, "mine")
    texts["zed"] = {"edge_filter": (INDEPENDENT / "independent_b" / EDGE).read_text()}
    found = similar_pairs(texts, STARTERS, NAMES, 0.5)
    first, *rest = found.pairs
    assert (first.a, first.b, first.crowd, first.standout) == ("zz1", "zz2", False, [EDGE])
    assert {f.filename for f in first.files} == {EDGE, COUNT}  # alike in both, set apart by one
    assert len(rest) == found.over_threshold - 1 == len(crowd) * (len(crowd) - 1) // 2 - 1
    assert all(p.crowd and p.standout == [] for p in rest)
    [group] = found.groups
    assert (group.filename, group.students, group.pairs) == (COUNT, crowd, len(rest) + 1)
    assert 0.5 <= group.low <= group.high <= 1.0


def test_a_small_group_is_no_crowd():
    common = (SOLUTIONS_DIR / COUNT).read_text()
    few = [f"s{i}" for i in range(CROWD - 1)]
    texts = {s: {"count_parameters": f"# {s}\n{common}"} for s in few}
    found = similar_pairs(texts, STARTERS, NAMES, 0.5)
    assert found.groups == [] and len(found.pairs) == len(few) * (len(few) - 1) // 2
    assert not any(p.crowd for p in found.pairs)
    assert all(p.standout == [COUNT] for p in found.pairs)


def _half_copied(own: str, other: str) -> str:
    """`own` with its convolve2d taken from `other`: a copy of part of the file."""
    mine, theirs = ast.parse(own), ast.parse(other)
    swap = next(f for f in theirs.body if getattr(f, "name", "") == "convolve2d")
    mine.body = [swap if getattr(f, "name", "") == "convolve2d" else f for f in mine.body]
    return renamed(ast.unparse(mine), "mine")


def test_pairs_outside_a_crowd_rank_by_the_files_that_set_them_apart():
    common = (SOLUTIONS_DIR / COUNT).read_text()
    a_own = (INDEPENDENT / "independent_a" / EDGE).read_text()
    b_own = (INDEPENDENT / "independent_b" / EDGE).read_text()
    c_own = (INDEPENDENT / "independent_c" / EDGE).read_text()
    crowd = [f"s{i}" for i in range(CROWD)] + ["aa1", "aa2", "zz1", "zz2"]
    texts = {s: {"count_parameters": f"# {s}\n{common}"} for s in crowd}
    texts["aa1"]["edge_filter"], texts["aa2"]["edge_filter"] = a_own, _half_copied(a_own, c_own)
    texts["zz1"]["edge_filter"], texts["zz2"]["edge_filter"] = b_own, b_own  # the same file
    first, second, *_ = similar_pairs(texts, STARTERS, NAMES, 0.5).pairs
    # both pairs score 1.0 on 02 (the crowd's answer): their own 01 files rank them
    assert [(first.a, first.b), (second.a, second.b)] == [("zz1", "zz2"), ("aa1", "aa2")]
    by_file = {f.filename: f.score for f in second.files}
    assert by_file[COUNT] == 1.0 and by_file[EDGE] < 1.0

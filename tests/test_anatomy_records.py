"""Records and counts in words (grader/checking/anatomy_records.py, anatomy_counts.py): each kind
of sentence said on a value that satisfies it, silent on one that resembles it but does not, and
hostile values never raise and stay bounded in time and length."""

from __future__ import annotations

import time

import pytest
import torch
from torch import nn

from grader.checking import anatomy_records
from grader.checking.anatomy_counts import explain, pair_explainer
from grader.checking.compare import CheckFailure, expect_value
from grader.checking.value_text import same, show
from tests.test_anatomy_counts import simple_cnn_parts

PAIR = ("total", "trainable")


def words(actual, expected, fields=()):
    return anatomy_records.differences(actual, expected, fields=fields)


# --- records: each kind named on a value that satisfies it ---------------------------------


def test_a_field_that_differs_is_named_with_both_values():
    text = words((104, 24), (115, 27), PAIR)
    assert "The first element (total) is 104, expected 115." in text
    assert "The second element (trainable) is 24, expected 27." in text


def test_thousands_are_separated():
    assert words((650, 5), (1300, 5), PAIR) == "The first element (total) is 650, expected 1,300."


def test_both_values_alike_and_wrong_alike_are_said_once():
    assert words((120, 120), (126, 126), PAIR) == (
        "Both values (total and trainable) are 120, expected 126."
    )
    assert "Both" not in words((120, 121), (126, 126), PAIR)
    assert "Both" not in words((120, 120), (126, 127), PAIR)
    zero_d = torch.tensor(120)
    assert "The first element (total) is a 0-d tensor of dtype torch.int64 (120), expected" in (
        words((zero_d, zero_d), (126, 126), PAIR)
    )


def test_two_swapped_values():
    assert words((27, 115), (115, 27), PAIR) == "The two values are swapped (total and trainable)."
    assert (
        words([1, 3, 2, 4], [1, 2, 3, 4]) == "The second element and the third element are swapped."
    )


def test_swapped_but_one_value_also_wrong_is_not_a_swap():
    text = words((27, 116), (115, 27), PAIR)
    assert "swapped" not in text
    assert "The first element (total) is 27, expected 115." in text


def test_an_extra_or_missing_element_and_where():
    assert words([4, 4, 2, 1], [4, 4, 2]) == "An extra element 1 at the end."
    assert words([9, 4, 4, 2], [4, 4, 2]) == "An extra element 9 at the start."
    assert words([4, 4], [4, 4, 2]) == "The last element (2) is missing."
    assert words([0, 1, 2, 3, 4], [0, 1, 2, 4]) == (
        "An extra element 3 before the fourth expected element."
    )
    assert words([0, 1, 3], [0, 1, 2, 3]) == "The third element (2) is missing."


def test_a_different_length_that_is_no_insertion_gives_the_counts_and_first_difference():
    text = words([1, 5, 6], [1, 2])
    assert text.startswith("It has 3 elements, expected 2; the first difference:")
    assert "The second element is 5, expected 2." in text


def test_a_list_where_a_tuple_is_expected_only_when_the_items_are_equal():
    assert words([1, 2, 3], (1, 2, 3)) == "It is a list where a tuple is expected."
    assert "where a tuple is expected" not in words([1, 2, 4], (1, 2, 3))


def test_a_column_of_lists_in_records_of_tuples():
    expected = [("conv1", (2, 4, 28, 28)), ("pool", (2, 4, 14, 14)), ("fc", (2, 10))]
    actual = [(n, list(s)) for n, s in expected]
    assert words(actual, expected) == (
        "In every element, the second item is a list where a tuple is expected."
    )


def test_a_column_shifted_one_place_late():
    names = ["conv1", "relu1", "pool1", "flatten"]
    shapes = [(2, 1, 28, 28), (2, 4, 28, 28), (2, 4, 28, 28), (2, 4, 14, 14), (2, 784)]
    expected = list(zip(names, shapes[1:]))
    actual = list(zip(names, shapes[:-1]))
    text = words(actual, expected)
    assert text.startswith("Only the second item of each element differs: each element holds")
    assert "one place late; the first is (2, 1, 28, 28)" in text


def test_a_shift_with_one_element_also_wrong_is_not_a_shift():
    expected = [10, 20, 30, 40]
    assert "place late" in words([0, 10, 20, 30], expected)
    assert "place" not in words([0, 10, 21, 30], expected)


def test_the_same_elements_in_another_order():
    assert words([3, 1, 4, 2], [1, 2, 3, 4]) == "The same elements, in another order."
    assert "another order" not in words([3, 1, 4, 4], [1, 2, 3, 4])


def test_every_element_off_by_the_same_amount():
    assert words([5, 5, 3], [4, 4, 2]) == "Every element is 1 more than expected."
    assert "than expected" not in words([5, 5, 2], [4, 4, 2])
    assert "than expected" not in words([5, 6, 3], [4, 4, 2])


def test_a_layer_entry_says_which_setting_differs():
    want = {
        "conv": ("Conv2d", 1, 3, (3, 3), (1, 1), (1, 1), True),
        "fc": ("Linear", 2352, 10, True),
    }
    got = {**want, "fc": ("Linear", 2352, 3, True)}
    assert words(got, want) == "fc has out_features=3 (expected out_features=10)."


def test_a_layer_of_another_kind_or_missing():
    conv = ("Conv2d", 1, 4, (3, 3), (1, 1), (1, 1), True)
    assert words({"conv1": ("Sequential",)}, {"conv1": conv}) == (
        "conv1 is a Sequential layer, expected a Conv2d."
    )
    assert words({"conv1": None}, {"conv1": conv}) == "conv1 is None, expected a Conv2d layer."
    assert words(None, conv) == "It is None, expected a Conv2d layer."
    assert words(("Linear", 4, 10, True), ("Linear", 4, 10, True)) == ""


def test_dict_entries_missing_extra_and_renamed():
    assert words({"a": 1, "b": 2}, {"a": 1, "c": 2}) == "The entry 'c' is named 'b'."
    text = words({"a": 1, "b": 3}, {"a": 1, "c": 2})
    assert (
        "The entry 'c' is missing." in text
        and "An extra entry 'b'." in text
        and "named" not in text
    )
    assert words({"a": 1, "b": 2}, {"a": 1, "b": 3}) == "The entry 'b' is 2, expected 3."


def test_a_record_element_is_named_by_its_first_item():
    text = words([("conv1", 4), ("pool", 9)], [("conv1", 4), ("pool", 7)])
    assert text == "The second element ('pool'), its second item is 9, expected 7."


def test_an_element_of_another_type():
    assert words((2.0, 3), (2, 3)) == "The first element is the float 2.0, expected the int 2."
    assert words((True, 3), (1, 3)) == "The first element is the bool True, expected the int 1."


def test_many_differences_are_counted_and_the_first_few_shown():
    text = words(list(range(0, 100, 3)), list(range(0, 200, 6)))
    assert text.splitlines()[0] == "33 of its 34 elements differ; the first:"
    assert len(text.splitlines()) == 1 + anatomy_records.MAX_SAID


def test_a_dict_of_many_differences_stays_within_its_lines():
    want = {f"k{i}": [i, i + 1, i + 2] for i in range(9)}
    got = {f"k{i}": [i, i + 5, i + 2, 0] for i in range(1, 12)}
    text = words(got, want)
    assert text.splitlines()[0] == "The entry 'k0' is missing."
    assert len(text.splitlines()) <= anatomy_records.MAX_LINES


def test_equal_values_and_plain_values_say_nothing():
    assert words((1, 2), (1, 2)) == ""
    assert words(3, 4) == ""
    assert words((1, 2), 3) == ""


# --- records through expect_value: every check gets them ------------------------------------


def _failure(actual, expected, **kwargs) -> CheckFailure:
    with pytest.raises(CheckFailure) as caught:
        expect_value(actual, expected, what="the answer", **kwargs)
    return caught.value


def test_expect_value_describes_a_record_instead_of_two_dumps():
    failure = _failure((27, 115), (115, 27), fields=PAIR)
    assert failure.details == "The two values are swapped (total and trainable)."
    assert "(27, 115)" not in failure.full()


def test_expect_value_type_failure_names_the_element_not_two_equal_lengths():
    expected = [("a", (1, 2)), ("b", (3,))]
    failure = _failure([("a", [1, 2]), ("b", (3,))], expected)
    assert failure.headline == "the answer has the wrong type."
    assert "list of length 2 but is a list of length 2" not in failure.full()
    assert "The first element ('a'), its second item is a list where a tuple is expected." in (
        failure.details
    )


def test_a_nested_length_is_a_wrong_value_not_a_wrong_type():
    failure = _failure([(1, 2), (3,)], [(1, 2), (3, 4)])
    assert failure.headline == "the answer is wrong."
    assert "The second element: the last item (4) is missing." in failure.details


def test_a_listed_mistake_comes_before_the_explainer_and_a_raising_explainer_is_silent():
    from grader.checking.compare import when

    listed = when(lambda a: True, "listed")
    assert _failure(1, 2, likely=[listed], explain=lambda a: "proven").mistake == "listed"
    assert _failure(1, 2, explain=lambda a: "proven").mistake == "proven"
    assert _failure(1, 2, explain=lambda a: 1 / 0).mistake == ""


# --- hostile values: never raise, bounded in time and length --------------------------------


class _Boom:
    def __eq__(self, other):
        raise RuntimeError("boom")

    __hash__ = object.__hash__


def _deep(depth: int):
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


HOSTILE = [
    (10**5000, 3),
    (-(10**30), -1),
    (float("nan"), float("inf")),
    (_deep(60), []),
    (list(range(200_000)), list(range(1, 200_001))),
    (list(range(50_000)), list(range(50_001))),
    ([_Boom(), 1], [1, 1]),
    ({(1, 2): [1.5, "x" * 10_000]}, {(1, 2): [1.5, "y"]}),
    ([torch.ones(3), 2], [torch.zeros(3), 2]),
    ([torch.ones(3)], [torch.ones(4)]),
    ({"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}, {"a": {"b": {"c": {"d": {"e": {"f": 2}}}}}}),
    ([[1] * 1000] * 1000, [[2] * 1000] * 1000),
]


@pytest.mark.parametrize("actual, expected", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_never_raise_and_stay_short(actual, expected):
    started = time.process_time()
    text = words(actual, expected) + words(expected, actual)
    assert len(words(actual, expected)) <= anatomy_records.MAX_TEXT
    assert len(words(actual, expected).splitlines()) <= anatomy_records.MAX_LINES
    assert len(show(actual, 60)) <= 60
    same(actual, expected)
    for value in (actual, expected):
        explain(value, simple_cnn_parts())
        pair_explainer(nn.Linear(2, 2))((value, value))
    assert time.process_time() - started < 3.0, text[:200]


def test_hostile_values_through_expect_value_fail_with_a_bounded_message():
    for actual, expected in HOSTILE:
        if actual is None:
            continue
        try:
            expect_value(actual, expected, what="the answer", fields=PAIR)
        except CheckFailure as failure:
            assert len(failure.full()) < 2000
        except RuntimeError:  # a value whose == raises stops the comparison itself, as before
            pass

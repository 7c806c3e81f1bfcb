"""A number over batches put together the wrong way (grader/checking/anatomy_batches.py): each
way is named on the answers it makes on both groupings of the samples, and nothing is said when
only one grouping fits, when two ways fit alike, or on random answers; a total over only some
batches is said by its values, and a total no subset gives stays unnamed. And 08's account of
how much fit trained (checks/08_train_digits/inputs.py), said only on the counts that show it."""

import random

import torch

from grader.checking.anatomy_batches import Aggregated, _ways, counted_batches, regroup

PARTS = [(2.0, 5), (3.0, 5), (0.0, 3)]  # 5 of 13 right, in batches of 5, 5, 3
OTHER = [(2.0, 4), (1.0, 4), (1.0, 4), (1.0, 1)]  # the same samples in batches of 4, 4, 4, 1


def said(answer, there) -> str:
    mistake = Aggregated(PARTS, OTHER, lambda: there, what="your accuracy")
    return mistake.message if mistake.matches(answer) else ""


def test_each_way_is_named_on_the_answers_it_makes_on_both_groupings():
    ways, others = _ways(PARTS, 100.0), _ways(OTHER, 100.0)
    for key in ("first", "last", "batches", "batch_size", "summed", "count", "but_last"):
        words = said(ways[key][0], others[key][0])
        assert words.startswith("your accuracy, here and on the same samples"), key
        assert ways[key][1] in words
    assert "first batch's alone (5 samples of 13)" in said(40.0, 50.0)
    assert "number of batches (3)" in said(500 / 3, 125.0)


def test_silent_when_the_other_grouping_does_not_confirm():
    assert said(40.0, 100 * 5 / 13) == ""  # the first batch here, the right answer there
    assert said(40.0, 45.0) == ""  # the first batch here, nothing known there
    assert said(500 / 3, 500 / 3) == ""  # divided by 3 on both: 3 is not the batches' number there
    assert said(100 * 5 / 13, 50.0) == ""  # the right answer is no mistake


def test_silent_when_two_ways_give_both_answers():
    parts, other = [(2.0, 5), (2.0, 5)], [(2.0, 5), (2.0, 5)]  # first and last alike
    mistake = Aggregated(parts, [(1.0, 2), (3.0, 8)], lambda: 50.0, what="x")
    assert not mistake.matches(40.0)  # the first batch's, confirmed: but_last is 40 too
    assert not Aggregated(parts, other, lambda: 40.0, what="x").matches(40.0)  # right there


def test_silent_on_random_answers_and_a_refusal():
    rng = random.Random(0)
    for _ in range(2000):
        assert said(rng.uniform(0, 200), rng.uniform(0, 200)) == ""

    def refuses():
        raise ValueError("no")

    assert not Aggregated(PARTS, OTHER, refuses, what="x").matches(40.0)


def test_a_total_over_some_batches_is_said_by_its_values():
    each = [torch.randint(0, 3, (10, 10)) + (i == 0) for i in range(3)]
    found = counted_batches(each)
    assert len(found) == 6  # every proper subset of three batches
    first = [m.message for m in found if m.matches(each[0])]
    assert first == ["only the first batch is counted, as a return inside the loop gives."]
    assert [m.message for m in found if m.matches(each[2])][0].startswith("only the last")
    assert not any(m.matches(2 * each[0]) for m in found)  # no subset gives it
    assert not any(m.matches(sum(each)) for m in found)  # every batch: the right total


def test_regroup_keeps_the_samples_in_order():
    images, labels = torch.arange(13.0), torch.arange(13)
    batches = regroup(images, labels, (4, 4, 4, 1))
    assert [len(y) for _, y in batches] == [4, 4, 4, 1]
    assert torch.equal(torch.cat([y for _, y in batches]), labels)


def _oracle():
    from grader.workbook.catalog import exercise_by_id
    from grader.workbook.files import load_file

    return load_file("diagnosis_inputs", exercise_by_id("train_digits").folder / "inputs.py")


def test_08_says_how_much_fit_trained_only_on_the_counts_that_show_it():
    oracle, scores = _oracle(), torch.randn(20, 10)
    one = {"backwards": 1, "stale": 0, "moved": 900, "epoch_batches": 157, "largest_change": 0.01}
    _, advice = oracle.diagnosis(scores, 9.6, one)
    assert "only 1 backward pass in all, where one pass over the training digits is 157" in advice
    tiny = {"backwards": 471, "stale": 0, "moved": 900, "epoch_batches": 157}
    _, advice = oracle.diagnosis(scores, 10.3, {**tiny, "largest_change": 0.0005})
    assert "no parameter tensor moved by more than 0.05 %" in advice and "too small" in advice
    for near in (
        {**tiny, "largest_change": 0.011},  # moved more than 1 %
        {**tiny, "largest_change": "0.0005"},  # not a float: no account
        {**tiny, "backwards": 157, "largest_change": 0.2},  # a whole epoch, and moved
        {**one, "epoch_batches": "157"},
    ):
        _, advice = oracle.diagnosis(scores, 10.3, near)
        assert "only" not in advice and "too small" not in advice, near
    _, advice = oracle.diagnosis(scores, 55.0, {**one, "backwards": 40})  # above chance too
    assert advice.startswith("fit ran only 40 backward passes")
    drawn = {**tiny, "backwards": 314, "largest_change": 0.5, "digits": 10_000}
    _, advice = oracle.diagnosis(scores, 63.4, {**drawn, "digits_drawn": 128})
    assert "drew only 128 distinct digits of the 10,000" in advice
    for near in (4_000, 0, 10_000, "128"):  # a subset of its own, none drawn, all, no account
        _, advice = oracle.diagnosis(scores, 63.4, {**drawn, "digits_drawn": near})
        assert "distinct digits" not in advice, near
    _, advice = oracle.diagnosis(scores, 63.4, {**drawn, "backwards": 6, "digits_drawn": 128})
    assert "distinct digits" not in advice  # each digit used about three times: not named


def test_08_says_training_collapsed_only_when_the_fresh_model_told_digits_apart():
    oracle = _oracle()
    same = torch.randn(1, 10).repeat(20, 1)
    _, advice = oracle.diagnosis(same, 10.0, {}, True)
    assert "before fit its scores differed" in advice and "training collapsed" in advice
    _, advice = oracle.diagnosis(same, 10.0, {}, False)  # a forward that ignores its input too
    assert "before fit" not in advice and "so does a forward that ignores its input" in advice
    _, advice = oracle.diagnosis(torch.randn(20, 10), 10.0, {}, True)  # scores that differ
    assert "collapsed" not in advice


def test_08_says_why_no_parameter_moved_from_the_optimizer_steps_seen():
    oracle, scores = _oracle(), torch.randn(20, 10)
    base = {"backwards": 314, "stale": 313, "moved": 0, "epoch_batches": 157}
    said = {
        (0, 0, 0): "no torch.optim optimizer's step() ran",
        (314, 0, 0): "314 optimizer steps ran, none over a parameter of this model",
        (314, 314, 0): "as zero_grad() between backward() and step() gives",
        (314, 314, 314): "as a learning rate of 0 gives",
    }
    for (steps, on_model, with_gradients), words in said.items():
        counts = {"steps": steps, "steps_on_model": on_model}
        report = {**base, **counts, "steps_with_gradients": with_gradients}
        mistake, _ = oracle.diagnosis(scores, 10.0, report)
        assert words in mistake and "never cleared" not in mistake, mistake
    mistake, advice = oracle.diagnosis(scores, 10.0, {**base, "stale": 0, "steps": "0"})  # no count
    assert "step() is never called, or the optimizer holds another" in mistake + advice
    mistake, _ = oracle.diagnosis(scores, 10.0, {**base, "moved": 5, "steps": 0})  # it moved
    assert "step() ran" not in mistake

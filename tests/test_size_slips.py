"""grader/checking/size_slips.py: a size formula's slip is named only when the learner's
function answers what it gives on every input of the check, and no other slip does; near misses
(a slip on some inputs only, two slips alike on every input, no correct function) stay silent."""

from __future__ import annotations

import math

import pytest

from grader.checking.problems import SubmissionProblem
from grader.checking.size_slips import CONV_SLIPS, POOL_SLIPS, SizeSlip

CONV = [(28, 3, 1, 1), (28, 3), (14, 3, 1, 1), (28, 5, 1, 1), (7, 3, 2, 0), (10, 4, 3, 2)]
CONV += [(8, 3, 2, 1), (5, 5)]
POOL = [(28, 2), (14, 2), (7, 2), (28, 2, 2), (9, 3), (10, 3, 1), (2, 2), (3, 3, 2), (9, 2)]
POOL += [(12, 3, 2)]


def conv(size, kernel_size, stride=1, padding=0):
    out = (size + 2 * padding - kernel_size) // stride + 1
    if out < 1:
        raise ValueError("does not fit")
    return out


def pool(size, kernel_size, stride=None):
    out = (size - kernel_size) // (stride or kernel_size) + 1
    if out < 1:
        raise ValueError("does not fit")
    return out


def _checked(learner, correct=conv, inputs=CONV, slips=CONV_SLIPS, defaults=(None, None, 1, 0)):
    """The message the first wrong input gets, as the check asks them in order."""

    def asked(*args):
        try:
            return learner(*args)
        except Exception as error:  # as the worker reports a learner's exception
            raise SubmissionProblem(str(error)) from None

    for args in inputs:
        answer = asked(*args)
        if answer != correct(*args):
            mistake = SizeSlip(
                correct, args, inputs, asked, what="f", defaults=defaults, slips=slips
            )
            return mistake.message if mistake.matches(answer) else ""
    return None  # every input right


def _floor_div(a, b):
    return math.floor(a / b)


CONV_LEARNERS = {
    "the + 1 is missing": lambda s, k, st=1, p=0: (s + 2 * p - k) // st,
    "the padding is added once": lambda s, k, st=1, p=0: (s + p - k) // st + 1,
    "padding is missing": lambda s, k, st=1, p=0: (s - k) // st + 1,
    "the stride is not used": lambda s, k, st=1, p=0: s + 2 * p - k + 1,
    "rounded up": lambda s, k, st=1, p=0: math.ceil((s + 2 * p - k) / st) + 1,
    "kernel_size is not subtracted": lambda s, k, st=1, p=0: (s + 2 * p) // st + 1,
    "the + 1 is inside the division": lambda s, k, st=1, p=0: (s + 2 * p - k + 1) // st,
}


@pytest.mark.parametrize("words", CONV_LEARNERS)
def test_each_conv_slip_is_named_on_every_input(words):
    assert words in _checked(CONV_LEARNERS[words])


POOL_LEARNERS = {
    "the default stride should be kernel_size": lambda s, k, st=None: (s - k) // (st or 1) + 1,
    "a stride of 1 always": lambda s, k, st=None: s - k + 1,
    "a stride of kernel_size always": lambda s, k, st=None: s // k,
    "rounded up": lambda s, k, st=None: math.ceil((s - k) / (st or k)) + 1,
    "the + 1 is missing": lambda s, k, st=None: (s - k) // (st or k),
}


@pytest.mark.parametrize("words", POOL_LEARNERS)
def test_each_pool_slip_is_named_on_every_input(words):
    said = _checked(POOL_LEARNERS[words], pool, POOL, POOL_SLIPS, (None, None, None))
    assert words in said


def test_correct_but_unusual_sizes_are_right_everywhere():
    assert _checked(lambda s, k, st=1, p=0: len(range(0, s + 2 * p - k + 1, st))) is None
    assert _checked(lambda s, k, st=1, p=0: _floor_div(s + 2 * p - k, st) + 1) is None


def test_a_slip_on_some_inputs_only_is_not_named():
    # one short only with stride 1: the + 1 "missing" does not hold where the stride is 2 or 3
    assert _checked(lambda s, k, st=1, p=0: conv(s, k, st, p) - (st == 1)) == ""
    # the right size except one wrong number: nothing elsewhere confirms a slip
    assert _checked(lambda s, k, st=1, p=0: 27 if (s, k) == (28, 3) else conv(s, k, st, p)) == ""
    # ceil only for odd sizes: not the ceil slip on every input
    odd_ceil = POOL_LEARNERS["rounded up"]
    assert (
        _checked(
            lambda s, k, st=None: odd_ceil(s, k, st) if s == 7 else pool(s, k, st),
            pool,
            POOL,
            POOL_SLIPS,
            (None, None, None),
        )
        == ""
    )


def test_two_slips_alike_on_every_input_say_nothing():
    # with padding 1 and stride 1 everywhere, the + 1 dropped is the padding added once
    inputs = [(28, 3, 1, 1), (14, 3, 1, 1), (28, 5, 1, 1)]
    assert _checked(CONV_LEARNERS["the + 1 is missing"], inputs=inputs) == ""


def test_a_learner_that_refuses_another_input_confirms_nothing():
    def refuses(s, k, st=1, p=0):
        if st > 1:
            raise ValueError("no strides here")
        return (s + 2 * p - k) // st

    assert _checked(refuses) == ""


def test_without_a_correct_function_nothing_is_said():
    def handout(*args):
        raise RuntimeError("a handout has no reference")

    mistake = SizeSlip(
        handout, (28, 3, 1, 1), CONV, conv, what="f", defaults=(None, None, 1, 0), slips=CONV_SLIPS
    )
    assert not mistake.matches(27) and mistake.message == ""


def _configs():
    from grader.checking.submission import load_driver

    return load_driver("layer_tweaks").CONFIGS


def _fc(learner):
    from grader.workbook.catalog import exercise_by_id
    from grader.workbook.exercise_folder import ORACLE, part
    from grader.workbook.files import load_file

    oracle = load_file("oracle_layer_tweaks", part(exercise_by_id("layer_tweaks"), ORACLE))
    return oracle.FC_INPUTS, lambda c: learner(
        c.get("num_filters", 3),
        c.get("kernel_size", 3),
        c.get("extra_conv_filters", 0),
        c.get("image_size", 28),
    )


def _fc_said(learner, cases=None) -> str:
    from grader.checking.size_slips import ProductSlip

    factors, answer_for = _fc(learner)
    slip = ProductSlip(factors, cases or _configs(), answer_for, what=lambda c, s: f"C={c}; S={s}")
    return slip.message if slip.matches() else ""


def test_fc_inputs_named_by_the_slip_of_each_factor():
    assert "padding of 1" in _fc_said(lambda n, k, e, i: (e or n) * (i - k + 1) ** 2)
    assert "kernel_size is not used" in _fc_said(lambda n, k, e, i: (e or n) * i**2)
    assert "C=num_filters, even" in _fc_said(lambda n, k, e, i: n * (i + 3 - k) ** 2)
    assert "C=3," in _fc_said(lambda n, k, e, i: 3 * (i + 3 - k) ** 2)


def test_fc_inputs_near_misses_say_nothing():
    right = lambda n, k, e, i: (e or n) * (i + 3 - k) ** 2  # noqa: E731
    assert _fc_said(right) == ""  # right everywhere: nothing to explain
    # the padding left out for kernel_size 5 only: no slip fits every configuration
    assert _fc_said(lambda n, k, e, i: (e or n) * (i - k + 1 if k == 5 else i + 3 - k) ** 2) == ""
    # the padding left out, and one more input: no combination of slips gives it
    assert _fc_said(lambda n, k, e, i: (e or n) * (i - k + 1) ** 2 + 1) == ""
    # only configurations with kernel_size 3: the kernel ignored is the right size, told on none
    same_kernel = [c for c in _configs() if c.get("kernel_size", 3) == 3]
    assert _fc_said(lambda n, k, e, i: (e or n) * i**2, same_kernel) == ""

    def refuses(n, k, e, i):
        if e:
            raise SubmissionProblem("no conv2 here")
        return n * (i - k + 1) ** 2

    assert _fc_said(refuses) == ""


def test_a_batch_flattened_into_other_rows_is_said_from_the_error_and_the_batch():
    from grader.checking.flatten_rows import flatten_words

    error = "RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x980 and 392x64)"
    assert "as 2 rows of 980: a size was fixed" in flatten_words(error, 5, (8, 7, 7))
    assert "either the flatten is missing" in flatten_words(error, 5)  # no maps: both said
    assert flatten_words(error, 5, (64,)) == ""  # another layer's maps: nothing proven
    unflattened = "mat1 and mat2 shapes cannot be multiplied (112x7 and 392x64)"
    said = flatten_words(unflattened, 2, (8, 7, 7))
    assert "(2, 8, 7, 7) reached the layer unflattened" in said and "fixed" not in said
    partly = "mat1 and mat2 shapes cannot be multiplied (16x49 and 392x64)"
    assert "flattened only from dimension 2 on" in flatten_words(partly, 2, (8, 7, 7))
    assert flatten_words(error, 2) == ""  # as many rows as samples: the features differ, no more
    assert flatten_words(error, 4) == ""  # 2 x 980 is not 4 x 392: not this batch's values
    one_row = "mat1 and mat2 shapes cannot be multiplied (1x1960 and 392x64)"
    assert "flattened into a single row" in flatten_words(one_row, 5)  # 5 samples known
    assert "not x.view(-1)" in flatten_words(one_row, 5)
    assert flatten_words(one_row, 1) == ""  # one sample: its features, not a lost batch
    quoted = (
        'x\n  File "f.py", line 3\n    mat1 and mat2 shapes cannot be multiplied (2x980 and 392x64)'
    )
    assert flatten_words(quoted, 5) == ""  # the learner's line in the traceback proves nothing


def test_a_hidden_check_says_the_flattening_without_its_numbers():
    from grader.checking.flatten_rows import explain_flatten
    from grader.checking.submission import StudentError

    text = "f raised RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x980 and 392x64)"
    with pytest.raises(StudentError) as raised, explain_flatten(5):
        raise StudentError(text, ("RuntimeError",), hidden="f raised RuntimeError")
    assert "2 rows of 980" in raised.value.message
    assert "flattened" in raised.value.hidden_message and "980" not in raised.value.hidden_message

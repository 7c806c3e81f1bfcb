"""The proof gate (issue 23): every "What to check" and "Likely mistake" rests on the error's own
text, the learner's line, the failing call's arguments, or an answer the check reproduced. Each
error rule has an error here that resembles its proof but does not satisfy it, on which it names
no cause; each gated rule also has the error that does satisfy it (so the gate is not just shut)."""

from __future__ import annotations

import pytest

from grader.checking import translate
from grader.checking.error_rules import Context, Fact, Rule
from grader.checking.type_text import type_difference

_PAD = "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"
_CONV = "Given groups=1, weight of size [4, 1, 3, 3], expected input[2, 28, 28, {0}] to have 1 "
_CONV += "channels, but got 28 channels instead"
_TRACE = '  File "x.py", line 4, in f\n    {0}\n'

# rule: (error message, translate's keyword arguments, words that must not be said). With no
# words, the message only resembles the rule's error: the rule must not match it at all.
NEAR_MISSES: dict[str, tuple[str, dict, tuple[str, ...]]] = {
    "flattened_batch": (
        "mat1 and mat2 shapes cannot be multiplied (3x784 and 392x64)",
        {},
        ("flattened", "batch dimension lost"),
    ),
    "module_init": ("cannot assign 'torch.FloatTensor' as parameter 'weight'", {}, ()),
    "module_not_set_up": ("'Net' object has no attribute 'conv1'", {}, ()),
    "forward_missing": ("'Net' object has no attribute 'forwad'", {}, ()),
    "recursion": (
        "maximum recursion depth exceeded while calling a Python object",
        {"trace": _TRACE.format("return helper(x - 1)")},
        ("self(x)", "self.forward"),
    ),
    "sizes_differ": (  # 01's call asked for no padding: nothing to pad
        _PAD,
        {"exercise": "edge_filter", "arguments": (("padding", 0),)},
        ("F.pad", "argmax"),
    ),
    "sizes_differ/columns": (  # padding asked, but the columns differ: the width is padded
        _PAD.replace("dimension 0", "dimension 1"),
        {"exercise": "edge_filter", "arguments": (("padding", 1),)},
        ("F.pad",),
    ),
    "sizes_differ/stride_1": (  # no stride asked: no window past the edge from a stride
        _PAD.replace("dimension 0", "dimension 1"),
        {"exercise": "edge_filter", "arguments": (("stride", 1), ("padding", 0))},
        ("past the edge",),
    ),
    "sizes_differ/first_larger": (  # a stride, but the first operand is the larger one
        _PAD.replace("a (2)", "a (4)").replace("dimension 0", "dimension 1"),
        {"exercise": "edge_filter", "arguments": (("stride", 2), ("padding", 0))},
        ("past the edge",),
    ),
    "float_size": ("ones_like() takes 1 positional argument but 2 were given", {}, ()),
    "float_size_tuple": ("'str' object cannot be interpreted as an integer", {}, ()),
    "tuple_times": (  # 02's advice needs a tuple multiplied and a tuple among the arguments
        "can't multiply sequence by non-int of type 'tuple'",
        {"exercise": "count_parameters", "arguments": (("#2", 3),)},
        ("unpack it first",),
    ),
    "needs_4d": ("Expected 4D input to conv2d", {}, ()),
    "pool_needs_3d": ("non-empty 4D tensor expected for input", {}, ()),
    "channels": (_CONV.format(3), {}, ("channels-last", "permute")),
    "kernel_too_big": ("Kernel size can't be greater than actual input size", {}, ()),
    "pool_too_small": ("Output size is too small", {}, ()),
    "view_size": ("view size is invalid for input", {}, ()),
    "view_stride": ("reshape is not compatible with input tensor's size", {}, ()),
    "dim_range": ("dimension specified as 0 but tensor has no dimensions", {}, ()),
    "index_range": (
        "index 7 is out of bounds for dimension 0 with size 5",
        {},
        ("off-by-one", "one past the last"),
    ),
    "normalize_before_to_tensor": (
        "img should be Tensor Image. Got <class 'numpy.ndarray'>",
        {},
        (),
    ),
    "to_tensor_twice": (
        "pic should be PIL Image or ndarray. Got <class 'int'>",
        {},
        ("already a tensor",),
    ),
    "batch_size": ("Expected input batch_size to match target batch_size", {}, ()),
    "target_shape": ("1D target tensor expected, multi-target not supported", {}, ()),
    "target_dtype": ("expected target dtype to be Long", {}, ()),
    "target_range": ("Target 5 is out of bounds.", {}, ("fewer columns",)),
    "no_grad": ("element 1 of tensors does not require grad and does not have a grad_fn", {}, ()),
    "leaf_in_place": ("a leaf Variable that requires grad has been used in an in-place op", {}, ()),
    "backward_twice": ("Trying to differentiate twice a function", {}, ()),
    "dtypes": ("expected scalar type Double but found Float", {}, ("int64", "Python ints")),
    "not_tensor": ("argument 'input' must be Tensor, not list", {}, ()),
    "long_kernel": (
        "\"addmm_impl_cpu_\" not implemented for 'Long'",
        {},
        ("(outputs, labels)", "arguments' order"),
    ),
    "item_many": ("only one element tensors can be converted to Python scalars", {}, ()),
    "numpy_grad": ("can't convert cuda:0 device type tensor to numpy", {}, ()),
    "bool_ambiguous": ("Boolean value of Tensor with no values is ambiguous", {}, ()),
    "empty_parameters": ("parameter group didn't specify a value of required parameter lr", {}, ()),
    "mean_of_ints": ("mean(): input dtype should be floating point", {}, ()),
    "cast_in_place": ("output with shape [1] doesn't match the broadcast shape [2]", {}, ()),
    "batchnorm_one": (
        "Expected more than 1 value per channel when training",
        {},
        ("batch of one",),
    ),
    "name_undefined": ("name 'nnn' is not defined", {}, ()),
}

# rule: (error message, keyword arguments, words said): the same gated rules, with their proof
PROVEN: dict[str, tuple[str, dict, tuple[str, ...]]] = {
    "flattened_batch": (
        "mat1 and mat2 shapes cannot be multiplied (1x784 and 392x64)",
        {},
        ("batch of 2 flattened",),
    ),
    "recursion": (
        "maximum recursion depth exceeded",
        {"trace": _TRACE.format("return self(x)")},
        ("self(x)",),
    ),
    "sizes_differ": (
        _PAD,
        {"exercise": "edge_filter", "arguments": (("padding", 2),)},
        ("F.pad(image, (p, p, p, p)); (p, p) pads the width alone",),
    ),
    "tuple_times": (
        "can't multiply sequence by non-int of type 'tuple'",
        {"exercise": "count_parameters", "arguments": (("#2", (3, 5)),)},
        ("unpack it first",),
    ),
    "channels": (_CONV.format(1), {}, ("channels-last", "permute")),
    "index_range": (  # the first index past the end: a loop too long or a tensor too small
        "index 5 is out of bounds for dimension 0 with size 5",
        {},
        ("the first index past the end", "made smaller there"),
    ),
    "to_tensor_twice": (
        "pic should be PIL Image or ndarray. Got <class 'torch.Tensor'>",
        {},
        ("already a tensor",),
    ),
    "dtypes": ("mat1 and mat2 must have the same dtype, but got Long and Float", {}, ("int64",)),
    "long_kernel": (
        "\"nll_loss_out_frame\" not implemented for 'Long'",
        {},
        ("(outputs, labels)",),
    ),
    "batchnorm_one": (
        "Expected more than 1 value per channel when training, got input size torch.Size([1, 4])",
        {},
        ("batch of one",),
    ),
}


def test_01_a_patch_cut_short_with_a_stride_is_said_with_its_facts():
    told = translate.translate(
        "RuntimeError",
        _PAD.replace("dimension 0", "dimension 1"),
        exercise="edge_filter",
        arguments=(("stride", 2), ("padding", 0)),
    )
    assert "past the edge of the image" in told and "// s + 1" in told


def test_every_rule_has_a_near_miss():
    assert {rule.name for rule in translate.RULES} == {n.split("/")[0] for n in NEAR_MISSES}
    assert set(PROVEN) <= set(NEAR_MISSES)


@pytest.mark.parametrize("rule", sorted(NEAR_MISSES))
def test_a_rule_names_no_cause_its_facts_do_not_show(rule):
    message, kwargs, absent = NEAR_MISSES[rule]
    told = translate.translate("RuntimeError", message, **kwargs)
    rule = rule.split("/")[0]  # a rule with several near misses: rule/what
    if not absent:  # only resembles the rule's error: the rule does not answer
        assert translate.rule_for(message) != rule, told
        return
    assert translate.rule_for(message) == rule, "the near miss must reach the rule it tests"
    for word in absent:
        assert word not in told, f"{rule}: {word!r} said without its proof:\n{told}"


@pytest.mark.parametrize("rule", sorted(PROVEN))
def test_a_rule_names_the_cause_its_facts_prove(rule):
    message, kwargs, present = PROVEN[rule]
    told = translate.translate("RuntimeError", message, **kwargs)
    assert translate.rule_for(message) == rule
    for word in present:
        assert word in told, f"{rule}: {word!r} not said although proven:\n{told}"


def test_a_rule_whose_facts_fail_says_its_general_words_or_nothing():
    pattern = translate.RULES[0].pattern
    never = Fact("never", lambda m, c: False)
    broken = Fact("unreadable", lambda m, c: int("x"))  # a fact that cannot be read is false
    match = pattern.search("mat1 and mat2 shapes cannot be multiplied (1x784 and 392x64)")
    said = Rule("r", pattern, lambda m, c: ("cause", "fix"), needs=(never,))
    assert said.texts(match, Context()) is None
    general = Rule("r", pattern, lambda m, c: ("cause", "fix"), (broken,), lambda m, c: ("g", "h"))
    assert general.texts(match, Context()) == ("g", "h")
    proven = Rule("r", pattern, lambda m, c: ("cause", "fix"), (Fact("yes", lambda m, c: 1),))
    assert proven.texts(match, Context()) == ("cause", "fix")


def test_an_advice_with_unknown_facts_is_refused(tmp_path):
    from grader.checking import exercise_rules

    with pytest.raises(TypeError, match="facts among"):
        exercise_rules._entry(tmp_path, "sizes_differ", {"text": "t", "needs": ["a guess"]})
    assert exercise_rules._entry(tmp_path, "x", "plain words") == ("plain words", ())


def test_a_type_difference_is_named_where_it_is():
    assert type_difference([1] * 9 + [2.0], [1] * 10) == "item 9 is a float, expected an int"
    assert type_difference({"a": (1, 2.0)}, {"a": (1, 2)}) == "['a'][1] is a float, expected an int"
    assert type_difference([1, 2], [1, 2]) == ""  # no difference: nothing said
    assert type_difference([1, 2], [1, 2, 3]) == ""  # lengths differ: the lengths say it


def test_a_list_with_one_float_is_not_said_to_be_what_it_should_be():
    from grader.checking.compare import CheckFailure, expect_value

    with pytest.raises(CheckFailure) as failed:
        expect_value([1] * 9 + [2.0], [1] * 10, what="counts")
    text = failed.value.full()
    assert "The 10th element is the float 2.0, expected the int 1" in text
    assert "but is a list of length 10" not in text
    assert "should be a list of length 10 but is a list of length 10" not in text


def _grade(tmp_path, exercise_id: str, old: str, new: str):
    """The reference of `exercise_id` with `old` replaced by `new`, graded: its failed checks."""
    from grader.checking.runner import run_checks
    from grader.workbook.catalog import exercise_by_id
    from grader.workbook.paths import SOLUTIONS_DIR

    exercise = exercise_by_id(exercise_id)
    source = (SOLUTIONS_DIR / exercise.filename).read_text()
    assert old in source
    (tmp_path / exercise.filename).write_text(source.replace(old, new))
    result = run_checks(submission=tmp_path, exercises=[exercise]).exercises[exercise.id]
    return {c.name: c.message for c in result.checks if not c.passed}


def test_swapped_counts_are_named_a_swap_not_frozen_parameters(tmp_path):
    failed = _grade(
        tmp_path, "count_parameters", "return total, trainable", "return trainable, total"
    )
    frozen = failed["count_parameters_frozen"]
    assert "the two values are swapped" in frozen
    assert "frozen parameters are counted as trainable" not in frozen
    assert "leaves out the frozen" not in frozen


@pytest.mark.slow
def test_an_fc_with_the_right_inputs_is_not_told_its_inputs(tmp_path):
    failed = _grade(
        tmp_path,
        "layer_tweaks",
        "self.fc = nn.Linear(channels * side * side, 10)",
        "self.fc = nn.Linear(channels * side * side, 3)",
    )
    text = "\n".join(failed.values())
    assert "fc has 3 outputs, expected 10" in failed["tinycnn_default_layers"]
    assert "2352 inputs" not in text and "fc's input size" not in text


def test_chance_accuracy_asks_about_optimizer_step_only_when_nothing_moved():
    from grader.workbook.catalog import exercise_by_id
    from grader.workbook.files import load_file

    inputs = load_file("gate_inputs_08", exercise_by_id("train_digits").folder / "inputs.py")
    said = inputs._how_fit_trained
    assert "optimizer.step()" in said({"backwards": 40, "moved": 0})
    assert "another model" in said({"backwards": 0, "moved": 0})
    assert said({"backwards": 40, "moved": 1000}) == ""  # it stepped: no question about step
    assert said({}) == said(None) == ""  # no facts, no cause

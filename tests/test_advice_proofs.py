"""The proof gate as a mechanism (issue 23): every "Likely mistake" a check or grader/checking/
can say is found in the source (tests/advice_sources.py) and must rest on a proof. A sentence
whose predicate compares the answer's values with what the mistake computes is a reproduction;
one whose predicate reads only the answer's type, shape or dtype (or nothing of it) may say only
what it observes, and is listed here, audited word by word, with why no other mistake is named.
A new rule of neither kind, or an unaudited observation, fails this test."""

from __future__ import annotations

import ast

import pytest

from grader.checking import exercise_rules, translate
from grader.workbook.catalog import load_catalog
from tests.advice_sources import advice_in, all_advice

_01 = "checks/01_edge_filter/check_01_edge_filter.py: "
_02 = "checks/02_count_parameters/check_02_count_parameters.py: "
_03 = "checks/03_simple_cnn/check_03_simple_cnn.py: "
_04 = "checks/04_layer_tweaks/check_04_layer_tweaks.py: "
_05 = "checks/05_training_step/check_05_training_step.py: "
_05S = "checks/05_training_step/check_05_training_step_sgd.py: "
_05E = "checks/05_training_step/check_05_training_step_epoch.py: "
_06 = "checks/06_data/check_06_data.py: "
_06M = "checks/06_data/check_06_data_mnist.py: "
_07 = "checks/07_evaluate/check_07_evaluate.py: "

TYPE = "states the answer's type, which the predicate read, and what the spec asks for"
SPEC = "states what differs from the spec's structure and what the spec says, no cause"

# Sentences whose predicate only observes the answer: {key: why the words say no unproven cause}
OBSERVATIONS = {
    _01 + "the result is an int64 tensor, not float32: torch.tensor([[1": "the dtype read; "
    "how int64 arises from Python ints is a fact of torch, not a claim on the learner's code",
    "grader/checking/conv_slips.py: the output is (6, 6) for an (8, 8) image, 2 rows and 2 "
    "colum": "the shape read; "
    "what padding=1 gives is the spec (the cause is named only by the looks_like before it)",
    _01 + "your convolve2d modified its {} argument in place (an in-pla": "said only when the "
    "check saw the caller's argument changed after the call; the operations are examples",
    _02 + "the counts are tensors (0-d ones, from torch.tensor(p.shape)": TYPE,
    _02 + "return both numbers as a tuple: (total, trainable).": TYPE,
    _02 + "return a tuple, not a list.": TYPE,
    _03 + "the output does not have one row per image (3 images in, sha": "the shape read",
    _03 + "the stage names or their order differ: ', '.join((n for n, _": "the names read",
    _03 + "each shape must be a tuple of ints: tuple(x.shape).": TYPE,
    _03 + "a stage's shape does not start with the batch size {}: every": "the shapes read",
    _03 + "use integer division // so the size is an int.": TYPE,
    _03 + "use integer division //: pooling rounds down.": TYPE,
    _04 + "fc must take num_filters * 28 * 28 = 2352 inputs.": SPEC,
    _04 + "conv is Conv2d(1, num_filters, kernel_size, padding=1).": SPEC,
    _04 + "fc's input size: the conv output side is S = image_size + 2 ": SPEC,
    _04 + "no_relu must be TinyCNN(use_relu=False).": "said only when the learner's own "
    "TinyCNN(use_relu=False), run by the check, gives the expected values",
    _05 + "the loss is returned as a tensor: return loss.item(), a Pyth": TYPE,
    _05 + "train_step returns nothing: return loss.item().": TYPE,
    _05S + "compute_gradients changed the model's parameters: it must le": "said only when "
    "the check saw the parameters differ from before the call",
    _05S + "the returned tensors changed when the model's .grad tensors ": "said only when "
    "the check saw the returned tensors change after it zeroed the .grad tensors",
    _05E + "return Python floats (loss.item()).": TYPE,
    _05E + "return Python floats (.item()).": TYPE,
    _05S + "its .grad is None: return torch.zeros_like(p) instead.": TYPE,
    _06M + "the channel dimension is missing: ToTensor gives (1, 28, 28)": "the shape read",
    _06M + "_untransformed(result)": "an untransformed image's type (PIL or numpy) read, and "
    "what the dataset held (driver.load): no transform, mnist_transform() giving None, or a "
    "transform that made no tensor",
    _07 + "the predictions are a column, shape (N, 1) (as argmax(dim=1,": "the shape read",
    _07 + "one row of 10 values per image, the scores' shape: predict r": "the scores' shape "
    "read, and what the spec asks",
    _07 + "class indices should be int64 (what argmax returns).": TYPE,
    _07 + "a batch of one gave a 0-d tensor, shape (), where one class ": "the shape read; "
    "both ways of getting it are named as examples",
    _07 + "return a Python float (.item()).": TYPE,
    _07 + "counts should be int64 (torch.zeros(..., dtype=torch.int64))": TYPE,
    _07 + "the matrix should be num_classes x num_classes ({} x {} here": "the shape read",
    # failures that name a mistake after the check's own test (fail(..., mistake))
    _03 + "_layer_mistake(name, got, want)": "said only when the layer differs from the "
    "spec's in that one setting (in_features of fc1, padding of a conv)",
    _05E + "call model.train() before the loop (train_step's semantics):": "reproduced: the "
    "learner's parameters are what the oracle's epoch in evaluation mode gives",
    _05E + "call optimizer.zero_grad() before each backward(): without i": "reproduced: the "
    "learner's parameters are what the oracle's epoch without zero_grad gives",
    _06 + "__getitem__ returns (label, image): return (image, label), t": "reproduced: the "
    "first element is exactly the expected label and the second exactly the expected image",
    _06 + "the seed goes to torch's global generator (torch.manual_seed": "observed: the same "
    "seed gives the same order twice, and another once other code drew random numbers",
    _06M + "_download_mistake(submission, root, train, download)": "observed: the worker saw "
    "a download asked for when download was not given, or none when it was True; for the "
    "first, the same call with download=False tells load_mnist's default from an argument not "
    "passed on",
    _07 + "call model.eval() first. In training mode dropout drops unit": "observed: the "
    "batch norm statistics changed, which only a forward in training mode does",
    _07 + "run the model inside `with torch.no_grad():` (or torch.infer": "observed: the "
    "check's model refused its in-place counter, which happens only while autograd records",
}


def test_every_likely_mistake_rests_on_a_proof():
    found = all_advice()
    assert len(found) > 80  # the scan sees the checks (a scan that finds nothing proves nothing)
    unproven = [f"{a.path}:{a.line} {a.message[:70]}" for a in found if not a.proof]
    assert unproven == []
    observed = {a.key for a in found if a.proof in ("observed", "given")}
    assert sorted(observed - set(OBSERVATIONS)) == []  # a new observation: audit its words
    assert sorted(set(OBSERVATIONS) - observed) == []  # an entry whose rule is gone or proven


@pytest.fixture
def kinds(tmp_path):
    def scan(source: str) -> list[str]:
        path = tmp_path / "probe.py"
        path.write_text(source)
        return [a.proof for a in advice_in(path)]

    return scan


def test_the_scan_tells_a_reproduction_from_an_observation_and_from_a_guess(kinds):
    assert kinds("when(lambda a: a == wrong, 'x')") == ["reproduced"]
    assert kinds("when(lambda a: abs(a - w) < 1e-5, 'x')") == ["reproduced"]
    assert kinds("when(lambda a: same_state({n: a[n]}, w), 'x')") == ["reproduced"]
    assert kinds("looks_like(t, 'x')") == ["reproduced"]
    assert kinds("when(lambda a: type(a) is list, 'x')") == ["observed"]
    assert kinds("when(lambda a: a.shape == (6, 6), 'x')") == ["observed"]
    assert kinds("when(lambda a: True, 'x')") == ["given"]
    # guesses: the answer's values tested against nothing the mistake computes
    assert kinds("when(lambda a: a > 3, 'x')") == [""]
    assert kinds("when(lambda a: bool(a), 'x')") == [""]
    assert kinds("when(lambda a: a.sum() > 0, 'x')") == [""]


def test_every_error_rule_is_gated_or_general():
    """Each error rule's cause rests on declared facts, or it has a near miss in
    test_proof_gate (where every rule has one); each exercise's advice declares its facts."""
    from tests.test_proof_gate import NEAR_MISSES

    assert {rule.name for rule in translate.RULES} <= {n.split("/")[0] for n in NEAR_MISSES}
    for exercise in load_catalog():
        for name, entries in exercise_rules.advice(exercise.id).items():
            for _text, needs in entries:
                assert needs, f"{exercise.id}: the advice for {name} names no fact it rests on"


def test_a_scan_of_a_file_with_no_rules_is_empty(kinds):
    assert ast.parse("x = 1") and kinds("x = 1") == []


def test_a_helper_given_the_answer_is_read_for_its_proof(kinds):
    helper = "def close(x, w):\n    return abs(x - w['after']) < 1e-5\n"
    guess = "def big(x, w):\n    return x > 3\n"
    assert kinds(helper + "when(lambda a: close(a, want), 'x')") == ["reproduced"]
    assert kinds(guess + "when(lambda a: big(a, want), 'x')") == [""]

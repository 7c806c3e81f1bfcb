"""Every translation of grader/checking/translate.py, on the real error text: each case runs the
mistaken learner code, turns the exception into a reply as the worker does and into a problem
as the grading process does, and checks what the learner reads (with their line)."""

from __future__ import annotations

import re
import textwrap

import pytest

from grader.checking import translate
from grader.checking.problems import LoadError, NotAttempted, StudentError, problem_from_reply
from grader.workbook.catalog import exercise_by_id
from grader.workbook.files import load_file
from grader.workbook.limits import Limits
from grader.worker import server

# (rule, exercise, the learner's code: `run()` makes the mistake, words the learner must read)
CASES = [
    (
        "flattened_batch",
        "simple_cnn",
        """
        def run():
            fc1 = nn.Linear(392, 64)
            x = torch.randn(3, 8, 7, 7)
            return fc1(x.view(-1))
        """,
        ["1 row of 1176 = 3 x 392", "batch of 3 flattened", "torch.flatten(x, 1)"],
    ),
    (
        "flattened_batch",
        "simple_cnn",
        """
        def run():
            fc1 = nn.Linear(392, 64)
            return fc1(torch.randn(3, 200))
        """,
        ["200 features per row, the layer takes 392", "in_features=392"],
    ),
    (
        "module_init",
        "simple_cnn",
        """
        class SimpleCNN(nn.Module):
            def __init__(self):
                self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        def run():
            return SimpleCNN()
        """,
        ["class SimpleCNN assigns module", "super().__init__()", "SimpleCNN.__init__"],
    ),
    (
        "module_not_set_up",
        "layer_tweaks",
        """
        class TinyCNN(nn.Module):
            def __init__(self):
                pass
        def run():
            return TinyCNN()(torch.zeros(1))
        """,
        ["class TinyCNN is an nn.Module whose __init__ never called super().__init__()"],
    ),
    (
        "sizes_differ",
        "edge_filter",
        """
        def run(padding=1):  # the grader's call asks for padding=1 (ARGUMENTS below)
            image, kernel, p = torch.ones(4, 4), torch.ones(3, 3), padding
            padded = F.pad(image, (p, p))
            patch = padded[2:5, 0:3]
            return (patch * kernel).sum()
        """,
        ["dimension 0 (2 and 3)", "F.pad(image, (p, p, p, p)); (p, p) pads the width alone"],
    ),
    (
        "sizes_differ",
        "training_step",
        """
        def run():
            return torch.ones(2) + torch.ones(3)
        """,
        ["dimension 0 (2 and 3)", "print the shapes of both operands"],
    ),
    (
        "sizes_differ",
        "training_step",
        """
        def run():
            outputs, labels = torch.randn(4, 3), torch.tensor([0, 1, 2, 0])
            return (outputs.argmax(dim=0) == labels).sum()
        """,
        ["dimension 0 (3 and 4)", "argmax(dim=0) takes, for each class", "argmax(dim=1)"],
    ),
    (
        "float_size",
        "simple_cnn",
        """
        def run():
            side = 28 / 2
            return torch.zeros(side, side)
        """,
        ["zeros() could not read its sizes", "message is misleading", "use `//`"],
    ),
    (
        "float_size_tuple",
        "simple_cnn",
        """
        def run():
            return nn.Linear(8 * (28 / 4) * (28 / 4), 64)
        """,
        ["a float where PyTorch needs an int", "use `//`"],
    ),
    (
        "float_size_tuple",
        "edge_filter",
        """
        def run():
            return [i for i in range(5 / 1)]
        """,
        ["a float where PyTorch needs an int"],
    ),
    (
        "tuple_times",
        "count_parameters",
        """
        def run(kernel_size=(3, 3)):  # the grader's call passes kernel_size=(3, 3)
            return 4 * 1 * kernel_size * kernel_size
        """,
        ["multiplied by a tuple", "kh, kw = kernel_size"],
    ),
    (
        "normalize_before_to_tensor",
        "data",
        """
        def run():
            from torchvision import transforms
            import PIL.Image
            image = PIL.Image.new("L", (28, 28))
            normalize = transforms.Normalize((0.1307,), (0.3081,))
            return transforms.Compose([normalize, transforms.ToTensor()])(image)
        """,
        ["Normalize received a PIL image", "ToTensor() before Normalize"],
    ),
    (
        "to_tensor_twice",
        "data",
        """
        def run():
            from torchvision import transforms
            return transforms.ToTensor()(torch.zeros(1, 28, 28))
        """,
        ["ToTensor received torch.Tensor", "already a tensor"],
    ),
    (
        "needs_4d",
        "layer_tweaks",
        """
        def run():
            return nn.Conv2d(1, 3, 3)(torch.zeros(28))
        """,
        ["conv2d takes a 3-D (C, H, W) or 4-D (B, C, H, W) tensor", "size [28]"],
    ),
    (
        "pool_needs_3d",
        "simple_cnn",
        """
        def run():
            return nn.MaxPool2d(2)(torch.zeros(5))
        """,
        ["pooling takes a (C, H, W) or (B, C, H, W) tensor"],
    ),
    (
        "channels",
        "simple_cnn",
        """
        def run():
            return nn.Conv2d(1, 4, 3)(torch.zeros(5, 28, 28, 1))
        """,
        ["expects 1 channel(s)", "has 28 there", "channels-last"],
    ),
    (
        "batch_size",
        "training_step",
        """
        def run():
            return F.cross_entropy(torch.randn(3, 10), torch.tensor([1, 2]))
        """,
        ["3 rows of outputs but 2 labels", "(outputs, labels)"],
    ),
    (
        "target_shape",
        "training_step",
        """
        def run():
            return nn.CrossEntropyLoss()(torch.randn(3, 10), torch.tensor([[1], [2], [3]]))
        """,
        ["1-D tensor of class indices, shape (B,)"],
    ),
    (
        "target_dtype",
        "training_step",
        """
        def run():
            return F.cross_entropy(torch.randn(3, 10), torch.tensor([1.0, 2.0, 3.0]))
        """,
        ["int64 class indices, but they are Float"],
    ),
    (
        "target_range",
        "train_digits",
        """
        def run():
            return F.cross_entropy(torch.randn(3, 2), torch.tensor([1, 0, 9]))
        """,
        ["a label (9) is not a valid class index", "out_features"],
    ),
    (
        "no_grad",
        "training_step",
        """
        def run():
            model = nn.Linear(3, 2)
            with torch.no_grad():
                loss = model(torch.ones(1, 3)).sum()
            loss.backward()
        """,
        ["not connected to any parameter", "outside torch.no_grad()"],
    ),
    (
        "leaf_in_place",
        "training_step",
        """
        def run():
            p = nn.Parameter(torch.ones(3))
            p.grad = torch.ones(3)
            p -= 0.1 * p.grad
        """,
        ["changed in place", "with torch.no_grad():"],
    ),
    (
        "backward_twice",
        "training_step",
        """
        def run():
            p = nn.Parameter(torch.ones(3))
            loss = (p * p).sum()
            loss.backward()
            loss.backward()
        """,
        ["a second time", "its own forward pass"],
    ),
    (
        "dtypes",
        "simple_cnn",
        """
        def run():
            return nn.Linear(3, 2)(torch.tensor([[1, 2, 3]]))
        """,
        ["mixed two dtypes (Long and Float)", "float32"],
    ),
    (
        "dtypes",
        "edge_filter",
        """
        def run():
            return nn.Conv2d(1, 2, 3)(torch.zeros(1, 1, 5, 5, dtype=torch.float64))
        """,
        ["mixed two dtypes (double and float)"],
    ),
    (
        "dtypes",
        "evaluate",
        """
        def run():
            return torch.ones(2, 2, dtype=torch.long) @ torch.ones(2, 2)
        """,
        ["mixed two dtypes (long int and float)"],
    ),
    (
        "not_tensor",
        "edge_filter",
        """
        def run():
            return torch.sqrt([1.0, 4.0])
        """,
        ["sqrt() needs a Tensor as 'input' but got a list", "torch.tensor(...)"],
    ),
    (
        "not_tensor",
        "simple_cnn",
        """
        def helper():
            pass
        def run():
            return F.relu(helper())
        """,
        ["got a NoneType", "returns nothing"],
    ),
    (
        "forward_missing",
        "simple_cnn",
        """
        class SimpleCNN(nn.Module):
            def __init__(self):
                super().__init__()
            def forwrad(self, x):
                return x
        def run():
            return SimpleCNN()(torch.zeros(1))
        """,
        ["SimpleCNN has no method named forward"],
    ),
    (
        "long_kernel",
        "training_step",
        """
        def run():
            return F.cross_entropy(torch.tensor([1, 2, 3]), torch.randn(3, 10))
        """,
        ["needs floats (log_softmax", "(outputs, labels)"],
    ),
    (
        "view_size",
        "simple_cnn",
        """
        def run():
            return torch.ones(3, 4).view(5, -1)
        """,
        ["the shape [5, -1]", "12 values"],
    ),
    (
        "view_stride",
        "simple_cnn",
        """
        def run():
            return torch.ones(3, 4).t().view(-1)
        """,
        [".reshape(...)"],
    ),
    (
        "dim_range",
        "evaluate",
        """
        def run():
            return torch.ones(3, 10).argmax(dim=2)
        """,
        ["it has only 2 dimension(s)"],
    ),
    (
        "index_range",
        "edge_filter",
        """
        def run():
            image = torch.ones(3, 3)
            return image[3, 0]
        """,
        ["index 3 does not exist in dimension 0, whose size is 3"],
    ),
    (
        "item_many",
        "training_step",
        """
        def run():
            return torch.ones(3).item()
        """,
        ["this one holds 3"],
    ),
    (
        "numpy_grad",
        "evaluate",
        """
        def run():
            return nn.Parameter(torch.ones(3)).numpy()
        """,
        [".detach()"],
    ),
    (
        "bool_ambiguous",
        "evaluate",
        """
        def run():
            if torch.ones(3) > 0:
                return 1
        """,
        ["used as True/False"],
    ),
    (
        "kernel_too_big",
        "layer_tweaks",
        """
        def run():
            return nn.Conv2d(1, 2, 3)(torch.ones(1, 1, 2, 2))
        """,
        ["shrunk to 2 x 2, smaller than its kernel 3 x 3"],
    ),
    (
        "pool_too_small",
        "simple_cnn",
        """
        def run():
            return F.max_pool2d(torch.ones(1, 1, 1, 1), 2)
        """,
        ["too small to pool"],
    ),
    (
        "empty_parameters",
        "training_step",
        """
        def run():
            model = nn.Linear(2, 2)
            params = model.parameters()
            list(params)
            return torch.optim.SGD(params, lr=0.1)
        """,
        ["given no parameters", "a generator, usable once"],
    ),
    (
        "mean_of_ints",
        "evaluate",
        """
        def run():
            return (torch.ones(3) == torch.ones(3)).mean()
        """,
        ["mean() was taken of a Bool tensor", ".float().mean()"],
    ),
    (
        "cast_in_place",
        "evaluate",
        """
        def run():
            total = torch.zeros(3, dtype=torch.long)
            total += 0.5
        """,
        ["store Float values in a Long tensor"],
    ),
    (
        "batchnorm_one",
        "train_digits",
        """
        def run():
            return nn.BatchNorm1d(4)(torch.ones(1, 4))
        """,
        ["more than one value per channel"],
    ),
    (
        "recursion",
        "simple_cnn",
        """
        class SimpleCNN(nn.Module):
            def __init__(self):
                super().__init__()
            def forward(self, x):
                return self(x)
        def run():
            return SimpleCNN()(torch.ones(2))
        """,
        ["called itself without end", "self(x)"],
    ),
    (
        "name_undefined",
        "edge_filter",
        """
        def run():
            del globals()["F"]
            return F.pad(torch.ones(2, 2), (1, 1))
        """,
        ["the name F is used but never imported"],
    ),
]
_HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
# the plain arguments of the grader's failing call, where a case's rule rests on them
ARGUMENTS = {
    ("sizes_differ", "edge_filter"): (("padding", 1),),
    ("tuple_times", "count_parameters"): (("#2", (3, 3)),),
}


def _problem(tmp_path, monkeypatch, exercise_id: str, source: str, arguments: tuple = ()):
    """The learner's code run, and its error as the learner reads it."""
    path = tmp_path / exercise_by_id(exercise_id).filename
    path.write_text(_HEADER + textwrap.dedent(source))
    module = load_file(f"translate_case_{exercise_id}", path)
    monkeypatch.setitem(server._state, "path", str(path))
    with pytest.raises(BaseException) as caught:
        module.run()
    reply = server._error_reply(caught.value)
    exercise = exercise_by_id(exercise_id)
    problem = problem_from_reply(reply, "run", exercise, Limits(), "", arguments)
    return problem, caught.value, path.read_text().splitlines()


@pytest.mark.parametrize(
    ("rule", "exercise_id", "source", "words"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_each_translation_on_the_real_error(
    tmp_path, monkeypatch, rule, exercise_id, source, words
):
    arguments = ARGUMENTS.get((rule, exercise_id), ())
    problem, error, lines = _problem(tmp_path, monkeypatch, exercise_id, source, arguments)
    assert translate.rule_for(str(error)) == rule, str(error)
    assert type(problem) is StudentError
    message = problem.message
    assert "\nWhat this means: " in message and "\nWhat to check: " in message, message
    for word in words:
        assert word in message, f"{word!r} not in:\n{message}"
    # the learner's own line, the one that raised, is quoted with its number
    raising = re.findall(r"line (\d+), in", message)
    assert raising, message
    number = int(raising[-1])
    assert f"Your line {number}: `{lines[number - 1].strip()[:77]}" in message, message


def test_every_rule_has_a_case():
    assert {rule.name for rule in translate.RULES} == {case[0] for case in CASES}


def test_an_error_no_rule_knows_is_left_as_it_is(tmp_path, monkeypatch):
    problem, _, _ = _problem(
        tmp_path, monkeypatch, "edge_filter", "def run():\n    raise KeyError('image')\n"
    )
    assert "KeyError" in problem.message and "What this means" not in problem.message


def test_a_cause_is_named_only_when_the_numbers_show_it():
    # 784 = 2 x 392 in one row is a flattened batch of 2; 3 rows of 784 are not: general words
    one_row = translate.translate(
        "RuntimeError", "mat1 and mat2 shapes cannot be multiplied (1x784 and 392x64)"
    )
    rows = translate.translate(
        "RuntimeError", "mat1 and mat2 shapes cannot be multiplied (3x784 and 392x64)"
    )
    assert "batch of 2 flattened" in one_row
    assert "flattened" not in rows and "784 features per row, the layer takes 392" in rows
    # an edge_filter hint about F.pad only in edge_filter
    sizes = (
        "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"
    )
    padded = (("padding", 1),)
    told = translate.translate("RuntimeError", sizes, exercise="edge_filter", arguments=padded)
    assert "F.pad" in told
    assert "F.pad" not in translate.translate(
        "RuntimeError", sizes, exercise="training_step", arguments=padded
    )
    # each advice comes from its exercise's folder (checks/NN_<id>/rules.py), found by the catalog
    tuples = "can't multiply sequence by non-int of type 'tuple'"
    told = {
        e: translate.translate("TypeError", tuples, exercise=e, arguments=(("#2", (3, 5)),))
        for e in ("count_parameters", "edge_filter", "no_such_id")
    }
    assert "unpack it first" in told["count_parameters"]
    assert "unpack it first" not in told["edge_filter"] and "print the types" in told["edge_filter"]
    assert "print the types" in told["no_such_id"]


def test_a_syntax_error_says_the_file_could_not_be_read(tmp_path):
    reply = {
        "ok": False,
        "kind": "load_error",
        "type": "SyntaxError",
        "mro": ["SyntaxError", "Exception"],
        "message": "invalid syntax",
        "traceback": '  File "/tmp/x/01_edge_filter.py", line 12\n    def f(:\n          ^\n'
        "SyntaxError: invalid syntax",
        "line": 12,
    }
    problem = problem_from_reply(reply, "loading", exercise_by_id("edge_filter"), Limits(), "")
    assert type(problem) is LoadError
    assert "Python could not read your file (its syntax at line 12)" in problem.message
    assert "other exercises are not affected" in problem.message


def test_a_stub_names_its_class_and_torch_not_implemented_is_an_error(tmp_path, monkeypatch):
    stub = """
        class SimpleCNN(nn.Module):
            def __init__(self):
                super().__init__()
                raise NotImplementedError
        def run():
            return SimpleCNN()
        """
    problem, _, _ = _problem(tmp_path, monkeypatch, "simple_cnn", stub)
    assert type(problem) is NotAttempted
    assert problem.message == (
        "SimpleCNN's __init__ is still the stub (it raises NotImplementedError): not attempted yet"
    )
    torch_raised = "def run():\n    return F.cross_entropy(torch.tensor([1]), torch.randn(1, 3))\n"
    problem, _, _ = _problem(tmp_path, monkeypatch, "training_step", torch_raised)
    assert type(problem) is StudentError and "not attempted" not in problem.message

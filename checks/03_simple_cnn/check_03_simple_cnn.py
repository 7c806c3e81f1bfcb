"""Checks for exercise 03: SimpleCNN and its shapes. Oracle: the reference solution, through
`expected` (a handout replays its recorded values)."""

import pytest
import torch
import torch.nn.functional as F

from grader.checking import anatomy_records, compare, layer_text, model_compare, model_structure
from grader.checking.compare import CheckFailure, expect_raises, expect_tensor, expect_value, fail
from grader.checking.flatten_rows import explain_flatten
from grader.checking.own_model import run_on_own_model
from grader.checking.problems import SubmissionProblem
from grader.checking.reproduce import reproduced
from grader.checking.size_slips import CONV_SLIPS, POOL_SLIPS, SizeSlip
from grader.wire.probe_tools import describe_layers, load_spec_state, without_aliases

CONV_SIZES = [
    (28, 3, 1, 1),
    (28, 3),
    (14, 3, 1, 1),
    (28, 5, 1, 1),
    (7, 3, 2, 0),
    (10, 4, 3, 2),
    (8, 3, 2, 1),  # a second input that tells a ceil from the floor: one number proves little
    (5, 5),
]


@pytest.mark.points(2)
@pytest.mark.public
def test_conv_output_size(submission, reference, expected):
    for args in CONV_SIZES:
        want, _unpadded = expected(
            "conv_output_size",
            lambda args=args: (
                reference.conv_output_size(*args),
                reference.conv_output_size(*args[:3]) if len(args) > 3 else None,
            ),
            args,
        )
        expect_value(
            submission.conv_output_size(*args),
            want,
            what="conv_output_size",
            inputs=f"size, kernel_size, stride, padding = {args}",
            likely=[
                compare.when(
                    lambda a: isinstance(a, float), "use integer division // so the size is an int."
                ),
                SizeSlip(  # the + 1, the padding, the stride...: proven on every input
                    lambda *a: reference.conv_output_size(*a),  # a handout has none: silent
                    args,
                    CONV_SIZES,
                    submission.conv_output_size,
                    what="conv_output_size",
                    defaults=(None, None, 1, 0),
                    slips=CONV_SLIPS,
                ),
                reproduced(
                    lambda *a: reference.conv_output_size(*a),  # a handout has none: silent
                    args,
                    ["size", "kernel_size", "stride", "padding"],
                    what="conv_output_size",
                    confirm=submission.conv_output_size,
                    others=CONV_SIZES,
                ),
            ],
        )
    # sizes of exactly 0 (not only negative) are below 1; stride with padding floors too
    for args in [(2, 5), (2, 3), (1, 4, 2, 1)]:
        expect_raises(
            lambda args=args: submission.conv_output_size(*args),
            "ValueError",
            what="conv_output_size when the kernel does not fit",
            inputs=f"size, kernel_size, stride, padding = {args}",
        )


# (9, 2) and (12, 3, 2): second inputs on which a ceil, or a stride ignored, gives another size
MAPS = (8, 7, 7)  # each sample's maps before fc1: a flatten's slip is told by them

POOL_SIZES = [(28, 2), (14, 2), (7, 2), (28, 2, 2), (9, 3), (10, 3, 1), (2, 2), (3, 3, 2), (9, 2)]
POOL_SIZES += [(12, 3, 2)]


@pytest.mark.points(2)
@pytest.mark.public
def test_pool_output_size(submission, reference, expected):
    for args in POOL_SIZES:
        want = expected(
            "pool_output_size", lambda args=args: reference.pool_output_size(*args), args
        )
        expect_value(
            submission.pool_output_size(*args),
            want,
            what="pool_output_size",
            inputs=f"size, kernel_size[, stride] = {args}",
            likely=[
                SizeSlip(  # the default stride, the + 1, a ceil...: proven on every input
                    lambda *a: reference.pool_output_size(*a),
                    args,
                    POOL_SIZES,
                    submission.pool_output_size,
                    what="pool_output_size",
                    defaults=(None, None, None),
                    slips=POOL_SLIPS,
                ),
                compare.when(
                    lambda a: isinstance(a, float), "use integer division //: pooling rounds down."
                ),
                reproduced(
                    lambda *a: reference.pool_output_size(*a),
                    args,
                    ["size", "kernel_size", "stride"],
                    what="pool_output_size",
                    confirm=submission.pool_output_size,
                    others=POOL_SIZES,
                ),
            ],
        )
    expect_raises(
        lambda: submission.pool_output_size(1, 2),
        "ValueError",
        what="pool_output_size when the window does not fit",
        inputs="size=1, kernel_size=2",
    )


@pytest.mark.points(4)
@pytest.mark.public
def test_simple_cnn_layers(submission, reference, driver, expected):
    layers = expected(
        "layers", lambda: describe_layers(reference.SimpleCNN(), driver.LAYERS), driver.LAYERS
    )
    actual = submission.drive("layers")
    for name, want in layers.items():
        got = actual.get(name)
        if got is None:
            fail(
                f"SimpleCNN has no attribute {name!r}; the spec names the layers conv1, pool, "
                "conv2, fc1, fc2."
            )
        if got != want:
            differ = layer_text.differences(got, want)
            fail(  # the settings that differ, in words, never the two tuples
                f"SimpleCNN.{name} has {differ}." if differ else f"SimpleCNN.{name} is wrong.",
                "" if differ else anatomy_records.words(got, want, (), ""),
                _layer_mistake(name, got, want),
            )


def _layer_mistake(name: str, got, want) -> str:
    """Named only when the layer differs from the tutorial's in exactly this setting."""
    if name == "fc1" and got[:1] == want[:1] and got[2:] == want[2:]:
        return "fc1 must take 8 * 7 * 7 = 392 inputs: two poolings take 28 to 7."
    if name in ("conv1", "conv2") and got[:5] == want[:5] and got[6:] == want[6:]:
        return (
            f"{name} needs padding=1: a 3x3 kernel with padding=1 keeps the 28x28 size, so the "
            "two poolings give 7x7 (and fc1 its 392 inputs)."
        )
    return ""


def _alternative(reference_model, images, *, relu1=True, relu2=True, relu3=True):
    m = reference_model
    x = m.pool(F.relu(m.conv1(images)) if relu1 else m.conv1(images))
    x = m.pool(F.relu(m.conv2(x)) if relu2 else m.conv2(x))
    x = m.fc1(torch.flatten(x, 1))
    return m.fc2(F.relu(x) if relu3 else x)


def _channels_last(m, images):
    x = m.pool(F.relu(m.conv2(m.pool(F.relu(m.conv1(images))))))
    x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)
    return m.fc2(F.relu(m.fc1(x)))


def _forward(reference, state: dict, images) -> dict:
    """The reference SimpleCNN with the learner's parameters: its output, and what each classic
    mistake gives (or why the parameters do not fit it)."""
    model = reference.SimpleCNN()
    if error := load_spec_state(model, state):
        return {"error": error}
    with torch.no_grad():
        return {
            "error": "",
            "output": model(images),
            "no_relu1": _alternative(model, images, relu1=False),
            "no_relu2": _alternative(model, images, relu2=False),
            "no_relu3": _alternative(model, images, relu3=False),
            "channels_last": _channels_last(model, images),
        }


@pytest.mark.points(4)
def test_simple_cnn_forward(submission, reference, driver, expected):
    images = torch.randn(3, 1, 28, 28)
    with explain_flatten(3, MAPS):
        result = submission.drive("forward", images)
    # the spec's keys only: a layer also kept in an nn.Sequential is named twice in a state_dict
    keys = expected("state_keys", lambda: list(reference.SimpleCNN().state_dict()))
    state, output = without_aliases(result["state"], keys), result["output"]
    _same_structure(submission, reference, driver, expected, state)
    want = expected.optional("forward", lambda: _forward(reference, state, images), state, images)
    # a handout that never saw these parameters: the learner's model on recorded ones
    if want is None:
        state, want = expected.recorded_state("forward", (), state, images)
        output = submission.drive("forward_with", state, images)
    if want["error"]:
        fail("SimpleCNN's parameters do not match the tutorial's layers.", want["error"])
    likely = [
        compare.looks_like(want["no_relu1"], "the ReLU after conv1 is missing."),
        compare.looks_like(want["no_relu2"], "the ReLU after conv2 is missing."),
        compare.looks_like(want["no_relu3"], "the ReLU after fc1 is missing."),
        compare.looks_like(
            F.relu(want["output"]),
            "there is a ReLU after fc2: the last layer gives raw scores (logits).",
        ),
        compare.looks_like(
            want["channels_last"],
            "the features are flattened channels-last (after a permute to (N, H, W, C)): "
            "fc1's weights expect the (N, C, H, W) order that torch.flatten(x, 1) keeps. "
            "Flatten without permuting.",
        ),
        compare.when(  # lost, not just wrong: the 3 samples merged into one flat row or vector
            lambda a: a.shape[0] != 3 and (a.dim() == 1 or a.shape[0] == 1),
            "the output does not have one row per image (3 images in, "
            "shape (3, 10) expected): keep the batch dimension first through forward "
            "(torch.flatten(x, 1) flattens each image, not the batch).",
        ),
    ]
    found = model_compare.reference_stages_for(
        expected, lambda: reference.SimpleCNN(), driver.LAYERS, images
    )
    try:
        expect_tensor(
            output,
            want["output"],
            what="SimpleCNN()(images)",
            inputs="a random batch (3, 1, 28, 28)",
            atol=1e-5,
            rtol=1e-4,
            likely=likely,
        )
    except CheckFailure as failure:
        raise model_compare.localised(failure, submission, found, images) from None


def _same_structure(submission, reference, driver, expected, state) -> None:
    """A difference in the parameters' names or shapes, said once: by simple_cnn_layers when it
    shows it too."""
    want = expected.optional(
        "state_shapes", lambda: model_structure.shapes(reference.SimpleCNN().state_dict())
    )

    def shown_by() -> str | None:
        layers = expected(
            "layers", lambda: describe_layers(reference.SimpleCNN(), driver.LAYERS), driver.LAYERS
        )
        return "simple_cnn_layers" if submission.drive("layers") != layers else None

    model_compare.same_structure(state, want, "SimpleCNN", shown_by)


@pytest.mark.points(2)
@pytest.mark.parametrize("batch", [2, 5])
def test_trace_shapes(submission, reference, driver, expected, batch):
    images = torch.randn(batch, 1, 28, 28)
    want = expected(
        "trace_shapes",
        lambda: [list(step) for step in reference.trace_shapes(driver.TrustedSimpleCNN(), images)],
        images,
    )
    want = [(name, tuple(shape)) for name, shape in want]
    try:
        with explain_flatten(batch, MAPS):
            actual = submission.drive("trace", batch)
    except SubmissionProblem as problem:  # model.layers(), say: the learner's own model, verified
        spec = ("TrustedSimpleCNN", driver.TrustedSimpleCNN(), driver.LAYERS)
        actual = run_on_own_model(submission, problem, spec, "trace_own", images)
    expect_value(
        actual,
        want,
        what=f"trace_shapes for a batch of {batch}",
        likely=[
            compare.when(
                lambda a: [n for n, _ in a] != [n for n, _ in want],
                "the stage names or their order differ: " + ", ".join(n for n, _ in want) + ".",
            ),
            compare.when(
                lambda a: any(type(s) is not tuple for _, s in a),
                "each shape must be a tuple of ints: tuple(x.shape).",
            ),
            compare.when(
                lambda a: any(type(s) is tuple and s[0] != batch for _, s in a),
                f"a stage's shape does not start with the batch size {batch}: every stage "
                "keeps the batch dimension first (torch.flatten(x, 1) flattens each image).",
            ),
        ],
    )

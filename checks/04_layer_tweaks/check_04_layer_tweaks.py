"""Checks for exercise 04: the four TinyCNN tweaks. Oracle: the reference solution, through
`expected` (a handout replays its recorded values)."""

import pytest
import torch
import torch.nn.functional as F

from grader.checking import model_compare, model_structure
from grader.checking.compare import (
    CheckFailure,
    expect_tensor,
    expect_value,
    fail,
    looks_like,
    when,
)
from grader.checking.model_compare import same_layers
from grader.wire.probe_tools import describe_layers, load_spec_state, without_aliases

DEFAULTS = {"num_filters": 3, "kernel_size": 3}  # the spec's, which decide TinyCNN()'s conv
# make_variants's models, each a configuration tinycnn_configurations checks
VARIANTS = {
    "baseline": {},
    "eight_filters": {"num_filters": 8},
    "kernel5": {"kernel_size": 5},
    "no_relu": {"use_relu": False},
    "two_conv": {"extra_conv_filters": 6},
}


FORWARD_CONFIGS = [{}, {"use_relu": False}, {"extra_conv_filters": 6},
    {"extra_conv_filters": 3, "use_relu": False, "kernel_size": 5, "image_size": 16}]  # fmt: skip


def _config_text(config):
    return "TinyCNN(" + ", ".join(f"{k}={v!r}" for k, v in config.items()) + ")"


@pytest.mark.points(2)
@pytest.mark.public
def test_tinycnn_default_layers(submission, reference, driver, expected, oracle):
    layers = expected(
        "layers", lambda: describe_layers(reference.TinyCNN(), driver.LAYERS), {}, driver.LAYERS
    )
    actual = submission.drive("layers", {})
    if actual["has_conv2"]:
        fail(
            "TinyCNN() has an attribute conv2, but with extra_conv_filters=0 there must be none: "
            "create self.conv2 only when extra_conv_filters > 0."
        )
    differs = oracle is not None and actual["layers"] != layers
    defaults = oracle.defaults(submission, reference, driver.LAYERS, layers) if differs else []
    same_layers(
        actual["layers"],
        layers,
        "TinyCNN()",
        likely=[
            *(when(lambda a, m=m: a == m, w) for w, m in defaults),
            *_fc_slip(oracle, submission, reference, driver, expected),
            when(
                lambda a: _inputs_differ(a, layers),
                "fc must take num_filters * 28 * 28 = 2352 inputs.",
            ),
            when(  # not when the learner's conv is the spec's with the defaults given by name
                lambda a: a["conv"] != layers["conv"] and not _conv_given(submission, layers),
                "conv is Conv2d(1, num_filters, kernel_size, padding=1).",
            ),
        ],
    )


def _conv_given(submission, layers: dict) -> bool:  # the spec's conv, the defaults given: True
    return submission.drive("layers", DEFAULTS)["layers"].get("conv") == layers["conv"]


@pytest.mark.points(4)
@pytest.mark.public
def test_tinycnn_configurations(submission, reference, driver, expected, oracle):
    for config in driver.CONFIGS:
        want = expected(
            "layers_and_conv2",
            lambda config=config: _layers(reference.TinyCNN(**config), driver),
            config,
            driver.LAYERS,
        )
        layers = want["layers"]
        actual = submission.drive("layers", config)
        if actual["has_conv2"] != want["has_conv2"]:
            fail(
                f"{_config_text(config)} should {'' if want['has_conv2'] else 'not '}have "
                "an attribute conv2."
            )
        side = config.get("image_size", 28) + 2 - config.get("kernel_size", 3) + 1
        if not config and actual["layers"] != layers:
            model_compare.point_to(
                "tinycnn_default_layers",
                model_structure.layer_differences(actual["layers"], layers),
            )
        same_layers(
            actual["layers"],
            layers,
            _config_text(config),
            likely=[
                *_fc_slip(oracle, submission, reference, driver, expected),
                when(
                    lambda a, layers=layers: _inputs_differ(a, layers),
                    f"fc's input size: the conv output side is S = image_size + 2 - "
                    f"kernel_size + 1 = {side}, and fc takes channels * S * S = "
                    f"{layers['fc'][1]} (channels of the last conv).",
                ),
                when(
                    lambda a, layers=layers: a["conv"] != layers["conv"],
                    "conv is Conv2d(1, num_filters, kernel_size, padding=1).",
                ),
            ],
        )


def _fc_slip(oracle, submission, reference, driver, expected) -> list:
    """fc's in_features explained by a slip of its formula (the oracle's: none in a handout)."""

    def spec(config):
        made = lambda: _layers(reference.TinyCNN(**config), driver)  # noqa: E731
        return expected("layers_and_conv2", made, config, driver.LAYERS)["layers"]

    return [] if oracle is None else [oracle.fc_slip(submission, driver.CONFIGS, spec)]


def _inputs_differ(got: dict, want: dict) -> bool:
    """fc takes another number of inputs than the spec's while the convs are the spec's (a conv
    of other channels or kernel makes fc's number right for it: fc is then not the mistake)."""
    fc, others = got.get("fc"), {k: v for k, v in got.items() if k != "fc"}
    if others != {k: v for k, v in want.items() if k != "fc"}:
        return False
    return isinstance(fc, (tuple, list)) and len(fc) > 1 and fc[:2] != tuple(want["fc"][:2])


def _layers(model, driver) -> dict:
    return {"layers": describe_layers(model, driver.LAYERS), "has_conv2": hasattr(model, "conv2")}


def _relu_variant(model, images, relu: bool):
    """The model's output with (or without) a ReLU after each conv, whatever its use_relu."""
    act = F.relu if relu else (lambda t: t)
    x = act(model.conv(images))
    if hasattr(model, "conv2"):
        x = act(model.conv2(x))
    return model.fc(torch.flatten(x, 1))


def _without_relu_after_conv2(model, images, config):
    """With two convs and use_relu=True: what leaving out the ReLU after conv2 gives (else None)."""
    if not hasattr(model, "conv2") or not config.get("use_relu", True):
        return None
    return model.fc(torch.flatten(model.conv2(F.relu(model.conv(images))), 1))


@pytest.mark.points(2)
@pytest.mark.parametrize("config", FORWARD_CONFIGS, ids=lambda c: _config_text(c))
def test_tinycnn_forward(submission, reference, driver, expected, config):
    side = config.get("image_size", 28)
    images = torch.randn(2, 1, side, side)
    result = submission.drive("forward", config, images)
    # the spec's keys only: a layer also kept in an nn.Sequential is named twice in a state_dict
    keys = expected("state_keys", lambda: list(reference.TinyCNN(**config).state_dict()), config)
    state, output = without_aliases(result["state"], keys), result["output"]
    _same_structure(submission, reference, driver, expected, config, state)
    want = expected.optional(
        "forward", lambda: _forward(reference, config, state, images), config, state, images
    )
    # a handout that never saw these parameters: the learner's model on recorded ones
    if want is None:
        state, want = expected.recorded_state("forward", (config,), state, images)
        output = submission.drive("forward_with", config, state, images)
    if want["error"]:
        fail(f"{_config_text(config)} has different parameters from the spec's.", want["error"])
    likely = [
        looks_like(want["without_relu"], "the ReLU is skipped although use_relu=True."),
        looks_like(want["with_relu"], "a ReLU is applied although use_relu=False."),
    ]
    if want.get("no_relu_after_conv2") is not None:
        likely.append(
            looks_like(
                want["no_relu_after_conv2"],
                "the ReLU after conv2 is missing: with use_relu=True each conv is followed by a "
                "ReLU.",
            )
        )
    found = model_compare.reference_stages_for(
        expected, lambda: reference.TinyCNN(**config), driver.LAYERS, images, config
    )
    try:
        expect_tensor(
            output,
            want["output"],
            what=f"{_config_text(config)}(images)",
            inputs=f"random images of shape {tuple(images.shape)}",
            atol=1e-5,
            rtol=1e-4,
            likely=likely,
        )
    except CheckFailure as failure:
        raise model_compare.localised(failure, submission, found, images, config) from None


def _same_structure(submission, reference, driver, expected, config, state) -> None:
    """Parameters' names or shapes that differ, said once (by default_layers if TinyCNN() does)."""
    want = expected.optional(
        "state_shapes",
        lambda: model_structure.shapes(reference.TinyCNN(**config).state_dict()),
        config,
    )

    def shown_by() -> str | None:
        default = expected(
            "layers_and_conv2", lambda: _layers(reference.TinyCNN(), driver), {}, driver.LAYERS
        )
        return "tinycnn_default_layers" if submission.drive("layers", {}) != default else None

    model_compare.same_structure(state, want, _config_text(config), shown_by)


def _forward(reference, config: dict, state: dict, images) -> dict:
    """The reference TinyCNN(**config) with the learner's parameters: its output, ReLU slips'."""
    model = reference.TinyCNN(**config)
    if error := load_spec_state(model, state):
        return {"error": error}
    with torch.no_grad():
        return {
            "error": "",
            "output": model(images),
            "without_relu": _relu_variant(model, images, False),
            "with_relu": _relu_variant(model, images, True),
            "no_relu_after_conv2": _without_relu_after_conv2(model, images, config),
        }


@pytest.mark.points(4)
@pytest.mark.public
def test_make_variants(submission, reference, driver, expected, oracle):
    variants = expected("variants", lambda: driver.variants(reference))
    actual = submission.drive("variants")
    if actual["type"] != "dict":
        fail("make_variants() should return a dict of models.", f"It returned a {actual['type']}.")
    want, got = variants["models"], actual["models"]
    expect_value(sorted(got), sorted(want), what="the keys of make_variants()")
    for name in want:
        if got[name]["class"] != "TinyCNN":
            fail(
                f"make_variants()[{name!r}] should be a TinyCNN.", f"It is a {got[name]['class']}."
            )
        if got[name]["layers"] != want[name]["layers"]:
            _variant_layers(submission, reference, driver, expected, name, got, want, oracle)
        expect_tensor(
            got[name]["use_relu_output"],
            want[name]["use_relu_output"],
            atol=1e-3,
            rtol=1e-3,
            what=f"make_variants()[{name!r}] on a fixed input",
            likely=[
                when(  # named only when the learner's own TinyCNN(use_relu=False) is right
                    lambda a, name=name: (
                        name == "no_relu"
                        and _close_to(
                            submission.drive("signature", {"use_relu": False}), want[name]
                        )
                    ),
                    "no_relu must be TinyCNN(use_relu=False).",
                )
            ],
        )


def _variant_layers(submission, reference, driver, expected, name, got, want, oracle) -> None:
    """A variant's layers differ: pointed to the check showing it when the learner's TinyCNN of
    that configuration differs too, else said here (a value given to another parameter named)."""
    config = VARIANTS.get(name)
    if config is not None:
        own = submission.drive("layers", config)["layers"]
        spec = expected(
            "layers_and_conv2",
            lambda: _layers(reference.TinyCNN(**config), driver),
            config,
            driver.LAYERS,
        )["layers"]
        if own != spec:
            check = "tinycnn_configurations" if config else "tinycnn_default_layers"
            model_compare.point_to(check, model_structure.layer_differences(own, spec))
    moved = oracle.moved(config or {}, reference, driver.LAYERS) if oracle else []
    likely = [when(lambda a, m=m: a == m, w) for w, m in moved]
    same_layers(got[name]["layers"], want[name]["layers"], f"make_variants()[{name!r}]", likely)


def _close_to(actual, expected: dict) -> bool:
    wanted = expected["use_relu_output"]
    return (
        type(actual) is torch.Tensor
        and actual.shape == wanted.shape
        and bool(torch.allclose(actual, wanted, atol=1e-3, rtol=1e-3))
    )

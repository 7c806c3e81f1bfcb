"""Checks for exercise 04: the four TinyCNN tweaks. Oracle: the reference solution."""

import pytest
import torch
import torch.nn.functional as F

from grader.checking.compare import expect_tensor, expect_value, fail, looks_like, when
from grader.worker.probe_tools import describe_layers, without_aliases


def _config_text(config):
    return "TinyCNN(" + ", ".join(f"{k}={v!r}" for k, v in config.items()) + ")"


@pytest.mark.points(2)
@pytest.mark.public
def test_tinycnn_default_layers(submission, reference, driver):
    expected = describe_layers(reference.TinyCNN(), driver.LAYERS)
    actual = submission.drive("layers", {})
    if actual["has_conv2"]:
        fail(
            "TinyCNN() has an attribute conv2, but with extra_conv_filters=0 there must be none: "
            "create self.conv2 only when extra_conv_filters > 0."
        )
    expect_value(
        actual["layers"],
        expected,
        what="the layers of TinyCNN()",
        likely=[
            when(
                lambda a: a["fc"] != expected["fc"],
                "fc must take num_filters * 28 * 28 = 2352 inputs.",
            ),
            when(
                lambda a: a["conv"] != expected["conv"],
                "conv is Conv2d(1, num_filters, kernel_size, padding=1).",
            ),
        ],
    )


@pytest.mark.points(4)
@pytest.mark.public
def test_tinycnn_configurations(submission, reference, driver):
    for config in driver.CONFIGS:
        model = reference.TinyCNN(**config)
        expected = describe_layers(model, driver.LAYERS)
        actual = submission.drive("layers", config)
        if actual["has_conv2"] != hasattr(model, "conv2"):
            fail(
                f"{_config_text(config)} should {'' if hasattr(model, 'conv2') else 'not '}have "
                "an attribute conv2."
            )
        side = config.get("image_size", 28) + 2 - config.get("kernel_size", 3) + 1
        expect_value(
            actual["layers"],
            expected,
            what=f"the layers of {_config_text(config)}",
            likely=[
                when(
                    lambda a: a["fc"] != expected["fc"],
                    f"fc's input size: the conv output side is S = image_size + 2 - "
                    f"kernel_size + 1 = {side}, and fc takes channels * S * S = "
                    f"{expected['fc'][1]} (channels of the last conv).",
                ),
                when(
                    lambda a: a["conv"] != expected["conv"],
                    "conv is Conv2d(1, num_filters, kernel_size, padding=1).",
                ),
            ],
        )


def _without_relu(model, images):
    x = model.conv(images)
    if hasattr(model, "conv2"):
        x = model.conv2(x)
    return model.fc(torch.flatten(x, 1))


def _with_relu(model, images):
    x = F.relu(model.conv(images))
    if hasattr(model, "conv2"):
        x = F.relu(model.conv2(x))
    return model.fc(torch.flatten(x, 1))


def _relu_after_conv2_mistakes(model, images, config):
    """With two convs and use_relu=True: the ReLU after conv2 left out."""
    if not hasattr(model, "conv2") or not config.get("use_relu", True):
        return []
    x = model.conv2(F.relu(model.conv(images)))
    return [
        looks_like(
            model.fc(torch.flatten(x, 1)),
            "the ReLU after conv2 is missing: with use_relu=True each conv is followed by a ReLU.",
        )
    ]


@pytest.mark.points(2)
@pytest.mark.parametrize(
    "config",
    [
        {},
        {"use_relu": False},
        {"extra_conv_filters": 6},
        {"extra_conv_filters": 3, "use_relu": False, "kernel_size": 5, "image_size": 16},
    ],
    ids=lambda c: _config_text(c),
)
def test_tinycnn_forward(submission, reference, config):
    side = config.get("image_size", 28)
    images = torch.randn(2, 1, side, side)
    result = submission.drive("forward", config, images)
    model = reference.TinyCNN(**config)
    try:
        model.load_state_dict(without_aliases(result["state"], model.state_dict()))
    except RuntimeError as exc:
        fail(f"{_config_text(config)} has different parameters from the spec's.", str(exc))
    with torch.no_grad():
        expected = model(images)
        likely = [
            looks_like(_without_relu(model, images), "the ReLU is skipped although use_relu=True."),
            looks_like(_with_relu(model, images), "a ReLU is applied although use_relu=False."),
            *_relu_after_conv2_mistakes(model, images, config),
        ]
    expect_tensor(
        result["output"],
        expected,
        what=f"{_config_text(config)}(images)",
        inputs=f"random images of shape {tuple(images.shape)}",
        atol=1e-5,
        rtol=1e-4,
        likely=likely,
    )


@pytest.mark.points(4)
@pytest.mark.public
def test_make_variants(submission, reference, driver):
    expected = driver.variants(reference)
    actual = submission.drive("variants")
    if actual["type"] != "dict":
        fail("make_variants() should return a dict of models.", f"It returned a {actual['type']}.")
    want, got = expected["models"], actual["models"]
    expect_value(sorted(got), sorted(want), what="the keys of make_variants()")
    for name in want:
        if got[name]["class"] != "TinyCNN":
            fail(
                f"make_variants()[{name!r}] should be a TinyCNN.", f"It is a {got[name]['class']}."
            )
        expect_value(
            got[name]["layers"],
            want[name]["layers"],
            what=f"the layers of make_variants()[{name!r}]",
        )
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


def _close_to(actual, expected: dict) -> bool:
    wanted = expected["use_relu_output"]
    return (
        type(actual) is torch.Tensor
        and actual.shape == wanted.shape
        and bool(torch.allclose(actual, wanted, atol=1e-3, rtol=1e-3))
    )

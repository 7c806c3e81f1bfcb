"""Oracle for exercise 04, in the pytest process only: fc's input size as a formula, channels *
S * S, with the slips of each factor, so that a wrong fc is named by the slip that gives the
learner's in_features on every configuration (grader/checking/size_slips.py). A handout holds
no oracle: there the slip is not named."""

from __future__ import annotations

from grader.checking.size_slips import Factor, ProductSlip
from grader.wire.probe_tools import describe_layers


def _side(c, padding=2, image=None, kernel=None, plus=1):
    return (image or c.get("image_size", 28)) + padding - (kernel or c.get("kernel_size", 3)) + plus


FC_INPUTS = (  # fc's in_features = channels * S * S: the right factor first, then its slips
    Factor(
        (
            (
                "the last conv's out_channels",
                lambda c: c.get("extra_conv_filters") or c.get("num_filters", 3),
            ),
            (
                "num_filters, even with a conv2 (whose extra_conv_filters channels reach fc)",
                lambda c: c.get("num_filters", 3),
            ),
            ("3, whatever num_filters and conv2 are", lambda c: 3),
        )
    ),
    Factor(
        (
            ("image_size + 2 - kernel_size + 1", _side),
            (
                # the value's words: + 2 - kernel_size - 1 is the same number on every config
                "image_size - kernel_size + 1, the side of a conv without the padding of 1 on "
                "each side",
                lambda c: _side(c, 0),
            ),
            ("image_size + 2 - 3 + 1: kernel_size is not used", lambda c: _side(c, kernel=3)),
            ("28 + 2 - kernel_size + 1: image_size is not used", lambda c: _side(c, image=28)),
            ("image_size + 2 - kernel_size: the + 1 is missing", lambda c: _side(c, plus=0)),
            ("image_size + 1 - kernel_size + 1: the padding is added once", lambda c: _side(c, 1)),
        ),
        power=2,
    ),
)


def fc_slip(submission, configs, spec_layers) -> ProductSlip:
    """fc's in_features on every configuration explained by a slip of its formula; only where
    conv and conv2 are the spec's (`spec_layers(config)`): a conv of another padding, say,
    makes another S, and fc's number is then no slip of fc's own."""

    def answer_for(config):
        layers, spec = submission.drive("layers", config)["layers"], spec_layers(config)
        if any(layers.get(name) != spec.get(name) for name in ("conv", "conv2")):
            return None
        fc = layers["fc"]
        return fc[1] if isinstance(fc, tuple) and len(fc) > 2 and fc[0] == "Linear" else None

    return ProductSlip(
        FC_INPUTS,
        configs,
        answer_for,
        what=lambda c, s: f"fc's in_features is C * S * S with C = {c}, and S = {s}.",
    )


FIRST = ", TinyCNN's first positional parameter"
PARAMETERS = ("num_filters", "kernel_size", "use_relu", "extra_conv_filters", "image_size")


def moved(config: dict, reference, names: list) -> list[tuple[str, dict]]:
    """[(words, the layers)]: the reference TinyCNN(**config) with a value given to another
    parameter of its kind (TinyCNN(5) is num_filters=5, not kernel_size=5)."""
    found = []
    for key, value in config.items():
        for other in PARAMETERS:
            if other == key or (type(value) is bool) != (other == "use_relu"):
                continue
            try:
                layers = describe_layers(reference.TinyCNN(**{other: value}), names)
            except Exception:  # noqa: BLE001 - a value the reference refuses there: no candidate
                continue
            found.append(
                (
                    f"these are the layers of TinyCNN({other}={value!r}): the {value!r} went to "
                    f"{other}{FIRST if other == PARAMETERS[0] else ''}; pass it by name, "
                    f"TinyCNN({key}={value!r}).",
                    layers,
                )
            )
    return found


DEFAULTS = {"num_filters": 3, "kernel_size": 3, "image_size": 28}  # the spec's, of TinyCNN()


def defaults(submission, reference, names: list, spec: dict) -> list[tuple[str, dict]]:
    """[(words, the layers)]: the reference's TinyCNN(name=value), for each parameter whose
    default the learner's TinyCNN(name=default) shows is the one that differs (given by name,
    its layers are the spec's); the check names one only when TinyCNN()'s layers are exactly it."""
    found = []
    for name, default in DEFAULTS.items():
        try:
            if submission.drive("layers", {name: default})["layers"] != spec:
                continue
        except Exception:  # noqa: BLE001 - a learner's model that refuses it proves nothing
            continue
        for value in range(1, 65):
            try:
                layers = describe_layers(reference.TinyCNN(**{name: value}), names)
            except Exception:  # noqa: BLE001 - a value the reference refuses: no candidate
                continue
            found.append(
                (
                    f"TinyCNN() builds the layers of TinyCNN({name}={value}), and "
                    f"TinyCNN({name}={default}) the spec's: the default of {name} is {value}, "
                    f"not the spec's {default}.",
                    layers,
                )
            )
    return found

"""The worker's answers cross as tagged JSON; decoding builds only plain values."""

import math

import numpy as np
import pytest
import torch

from grader.wire import frames
from grader.wire.control import CageReport, Ending
from grader.wire.protocol import Opaque, ProtocolError, decode, encode


def roundtrip(value):
    frame = frames.dumps_frame(encode(value))
    return decode(frames.loads_frame_body(frame[8:]))


@pytest.mark.parametrize(
    "value", [None, True, 3, -2.5, "text", [1, [2]], (1, (2, 3)), {"a": 1, 2: (3,)}]
)
def test_plain_values_roundtrip_with_their_types(value):
    assert roundtrip(value) == value and type(roundtrip(value)) is type(value)


@pytest.mark.parametrize(
    "dtype", [torch.float32, torch.float64, torch.int64, torch.uint8, torch.bool, torch.bfloat16]
)
def test_tensors_roundtrip_exactly(dtype):
    tensor = (torch.randn(3, 4) * 5).to(dtype)
    back = roundtrip(tensor)
    assert type(back) is torch.Tensor and back.dtype == dtype and torch.equal(back, tensor)


def test_non_contiguous_grad_and_empty_tensors():
    base = torch.randn(4, 5, requires_grad=True)
    assert torch.equal(roundtrip(base.T * 1), base.T.detach())
    assert roundtrip(torch.empty(0, 3)).shape == (0, 3)


def test_special_floats_and_shapes():
    assert math.isnan(roundtrip(float("nan"))) and roundtrip(float("-inf")) == -math.inf
    assert roundtrip(torch.Size([2, 3])) == (2, 3)
    assert isinstance(roundtrip(np.int64(4)), np.int64)
    assert np.array_equal(roundtrip(np.arange(6).reshape(2, 3)), np.arange(6).reshape(2, 3))


def test_subclasses_and_objects_become_opaque():
    class Sneaky(torch.Tensor):
        pass

    assert isinstance(roundtrip(torch.zeros(2).as_subclass(Sneaky)), Opaque)
    assert isinstance(roundtrip(torch.nn.Parameter(torch.zeros(2))), Opaque)

    class AlwaysEqual:
        def __eq__(self, other):
            return True

        def __repr__(self):
            raise RuntimeError("hostile repr")

    back = roundtrip(AlwaysEqual())
    assert isinstance(back, Opaque) and back != 0 and "AlwaysEqual" in back.type_name


@pytest.mark.parametrize(
    "node",
    [
        {"$t": "tensor", "dtype": "float32", "shape": [3], "data": "AAAA"},  # too few bytes
        {"$t": "tensor", "dtype": "complex64", "shape": [], "data": ""},
        {"$t": "pickle", "data": "..."},
        {"$t": "float", "v": "1e309"},
        {"$t": "dict", "items": [[[1], 2]]},
        {"not": "tagged"},
    ],
)
def test_malformed_data_is_refused(node):
    with pytest.raises(ProtocolError):
        decode(node)


def test_frame_limits():
    with pytest.raises(ProtocolError):
        frames.frame_length((2**40).to_bytes(8, "big"))
    with pytest.raises(ProtocolError):
        frames.loads_frame_body(b'{"x": NaN}')


def test_error_kinds_and_endings_are_typed_at_the_wire():
    """What the grader reads back is typed: an unknown or ill-typed kind is a plain error, and a
    control line's fields of the wrong type are dropped, never trusted."""
    assert frames.ErrorKind.of({"kind": "memory"}) is frames.ErrorKind.MEMORY
    for hostile in ("MEMORY", "nope", ["memory"], {"a": 1}, None, 7):
        assert frames.ErrorKind.of({"kind": hostile}) is frames.ErrorKind.ERROR
    line = {"exit": None, "signal": 9, "cpu": 1.5, "max_rss_kib": 2048}
    assert Ending.from_line(line) == Ending(signal=9, cpu=1.5, max_rss_kib=2048)
    assert Ending.from_line(Ending(exit=3, cpu=0.25).line()) == Ending(exit=3, cpu=0.25)
    forged = {"exit": "0", "signal": True, "cpu": [1], "max_rss_kib": 1.5}
    assert Ending.from_line(forged, oom_kill=True) == Ending(oom_kill=True)
    report = CageReport(in_place=["a pids cgroup"], cgroup="/sys/fs/cgroup/cnn-grader-7")
    assert report.line(pid=7)["pid"] == 7 and report.line()["cgroup"] == report.cgroup

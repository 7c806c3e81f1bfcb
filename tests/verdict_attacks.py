"""Submissions aimed at the checks' verdicts rather than at the machine (issue 12), for
tests/test_adversarial.py: each is an honest wrong answer (the reference with one classic mistake)
plus code that tries to win the points anyway. Where an attack finds what it looks for, it turns
its answer into the right one; so a defended attack scores exactly what its honest wrong answer
scores."""

from __future__ import annotations

from dataclasses import dataclass

from grader.workbook.catalog import exercise_by_id
from grader.workbook.paths import SOLUTIONS_DIR


@dataclass(frozen=True)
class Verdict:
    name: str
    exercise: str
    mistake: tuple[tuple[str, str], ...]  # (reference text, honest wrong text)
    attack: tuple[tuple[str, str], ...] = ()  # (honest wrong text, attacking text)
    prelude: str = ""  # appended to the file: runs at import
    graded: bool = True  # graded with a grading key (secret inputs), as `grader grade` does

    def _reference(self) -> str:
        return (SOLUTIONS_DIR / exercise_by_id(self.exercise).filename).read_text()

    def honest(self) -> str:
        text = self._reference()
        for before, after in self.mistake:
            assert before in text, f"{self.name}: {before!r} is not in the reference"
            text = text.replace(before, after)
        return text

    def source(self, project: str) -> str:
        text = self.honest()
        for before, after in self.attack:
            assert before in text, f"{self.name}: {before!r} is not in the honest answer"
            text = text.replace(before, after)
        return text + "\n" + self.prelude.replace("{project}", project)


_NO_ZERO_GRAD = (("    optimizer.zero_grad()\n    loss = criterion", "    loss = criterion"),)
_DATA_REPLACED = (("            p -= lr * p.grad", "            p.data = p.data - lr * p.grad"),)
_NO_NO_GRAD = (("@torch.no_grad()\ndef ", "def "),)
_UNTRAINED = (("    for _ in range(2):", "    for _ in range(0):"),)
_NO_EVAL = (("    model.eval()\n", ""),)

ORACLE_HUNT = """
import gc, importlib.util, sys, types

def _oracle_reachable():
    names = ("train_steps", "expected_train_step", "expected_gradients", "sgd_expected")
    for module in list(sys.modules.values()):
        found = getattr(module, "__dict__", {})
        if any(isinstance(found.get(n), types.FunctionType) for n in names):
            return True
    for path in ("{project}/checks/05_training_step/oracle.py",
                 "{project}/checks/probes/training_step.py",
                 "{project}/solutions/05_training_step.py"):
        try:
            spec = importlib.util.spec_from_file_location("stolen", path)
            spec.loader.exec_module(importlib.util.module_from_spec(spec))
            return True
        except Exception:
            pass
    for obj in gc.get_objects():
        if callable(obj) and getattr(obj, "__name__", "") in names:
            return True
    frame = sys._getframe(1)
    while frame is not None:
        for key, value in frame.f_locals.items():
            if key in ("expected", "expected_state", "variants") or (
                isinstance(value, dict) and "losses" in value):
                return True
        frame = frame.f_back
    return False

_original_train_step = train_step

def train_step(model, images, labels, optimizer, criterion):
    if _oracle_reachable():  # with the oracle at hand, answer as it says a correct step does
        optimizer.zero_grad()
    return _original_train_step(model, images, labels, optimizer, criterion)
"""

ALIAS_REWRITE = """
import sys
import torch as _torch

_honest_sgd_step = sgd_step

def sgd_step(parameters, lr):
    parameters = list(parameters)
    _honest_sgd_step(parameters, lr)
    fresh = [p.detach() for p in parameters]
    frame = sys._getframe(1)
    while frame is not None:  # every container of tensors up the stack: point it at the new ones
        for key, value in list(frame.f_locals.items()):
            if isinstance(value, dict):
                for name in list(value):
                    if isinstance(value[name], _torch.Tensor) and value[name].dim():
                        match = [f for f in fresh if f.shape == value[name].shape]
                        if match:
                            value[name] = match[0]
                    elif isinstance(value[name], bool):
                        value[name] = True
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    match = [f for f in fresh if isinstance(item, _torch.Tensor)
                             and f.shape == item.shape]
                    if match:
                        value[i] = match[0]
            frame.f_locals[key] = value
        frame = frame.f_back
"""

GRAD_MODE_LIES = """
import torch as _torch
_torch.is_grad_enabled = lambda: False
_torch._C.is_grad_enabled = lambda: False
try:
    _torch.Tensor.requires_grad = property(lambda self: False)
except Exception:
    pass
"""

LOOKUP_TABLE = """
import hashlib
from grader.digits import make_digits as _make_digits

_images, _labels = _make_digits(2000, seed=1000)  # the held-out digits of a public run
_TABLE = {hashlib.sha1(x.numpy().tobytes()).hexdigest(): int(y) for x, y in zip(_images, _labels)}

class _Lookup(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(()))

    def forward(self, x):
        out = torch.zeros(len(x), 10)
        for i, image in enumerate(x):
            label = _TABLE.get(hashlib.sha1(image.numpy().tobytes()).hexdigest())
            if label is not None:
                out[i, label] = 1.0
        return out * self.scale

def build_model():
    return _Lookup()
"""

LABEL_HUNT = '''
import gc, sys

class _Hunter(nn.Module):
    """Scores from whatever labels of these images it can find in the worker."""

    def __init__(self):
        super().__init__()
        self.inner = _TutorialCNN()

    def forward(self, x):
        out = self.inner(x)
        found = None
        for obj in gc.get_objects():
            if (isinstance(obj, torch.Tensor) and obj.dtype == torch.int64 and obj.dim() == 1
                    and len(obj) in (len(x), 2000) and int(obj.min()) >= 0 and int(obj.max()) <= 9):
                found = obj
        frame = sys._getframe(1)
        while frame is not None and found is None:
            for value in frame.f_locals.values():
                if isinstance(value, torch.Tensor) and value.dtype == torch.int64:
                    found = value if value.dim() == 1 and len(value) == len(x) else found
            frame = frame.f_back
        if found is not None and len(found) >= len(x):
            out = torch.nn.functional.one_hot(found[: len(x)], 10).float() * 100
        return out

def build_model():
    return _Hunter()

import workbook_driver as _driver  # the driver, loaded before this file: take over its scoring
_real_scores = _driver.scores

def _scores(module, images):
    out = _real_scores(module, images)
    return torch.nan_to_num(out, nan=0.0)

_driver.scores = _scores
'''

NAN_SCORES = """
class _NaN(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = _TutorialCNN()

    def forward(self, x):
        return self.inner(x) * float("nan")

def build_model():
    return _NaN()
"""

# Red team, 2026-11-27: the eval-mode points asked only whether the handed-over model's statistics
# were unchanged, so a function that ran a copy (or nothing) won them.
DEEPCOPY = """
import copy as _copy
_p, _a, _c = predict, accuracy, confusion_matrix

def predict(model, images):
    return _p(_copy.deepcopy(model), images)

def accuracy(model, loader):
    return _a(_copy.deepcopy(model), loader)

def confusion_matrix(model, loader, num_classes=10):
    return _c(_copy.deepcopy(model), loader, num_classes)
"""

# Issue 21: never call model.eval(); copy the model's buffers before each forward and put them
# back after (all but the forward counter), so the running statistics come back unchanged.
RESTORED_BUFFERS = """
import torch as _torch

def _keep(module, args):
    module._kept = {n: b.detach().clone() for n, b in module.named_buffers() if "count" not in n}

def _put_back(module, args, output):
    with _torch.no_grad():
        for n, b in module.named_buffers():
            if n in module._kept:
                b.copy_(module._kept[n])

def _restoring(function):
    def wrapped(model, *args, **kwargs):
        handles = [model.register_forward_pre_hook(_keep), model.register_forward_hook(_put_back)]
        try:
            return function(model, *args, **kwargs)
        finally:
            for handle in handles:
                handle.remove()
    return wrapped

predict, accuracy, confusion_matrix = map(_restoring, (predict, accuracy, confusion_matrix))
"""

# Red team, 2026-11-27: training moved from fit into the first scoring call, where the time used
# was not charged to the budget (it is now: loading, fit and scoring all count).
LAZY_FIT = """
_state = {}
_build = build_model

def fit(model, train_loader):
    _state["loader"] = train_loader

class _Lazy(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = _build()

    def forward(self, x):
        if "loader" in _state and not self.training:
            loader = _state.pop("loader")
            with torch.enable_grad():
                optimizer = torch.optim.Adam(self.inner.parameters(), lr=1e-3)
                for images, labels in loader:
                    optimizer.zero_grad()
                    F.cross_entropy(self.inner(images), labels).backward()
                    optimizer.step()
        return self.inner(x)

def build_model():
    return _Lazy()
"""

VERDICTS = [
    Verdict("oracle_hunt", "training_step", _NO_ZERO_GRAD, prelude=ORACLE_HUNT),
    Verdict("alias_rewrite", "training_step", _DATA_REPLACED, prelude=ALIAS_REWRITE),
    Verdict("grad_mode_lies", "evaluate", _NO_NO_GRAD, prelude=GRAD_MODE_LIES),
    Verdict("held_out_lookup_table", "train_digits", _UNTRAINED, prelude=LOOKUP_TABLE),
    Verdict("label_hunt_and_driver_patch", "train_digits", _UNTRAINED, prelude=LABEL_HUNT),
    Verdict("nan_scores", "train_digits", _UNTRAINED, prelude=NAN_SCORES),
    Verdict("deepcopy_in_training_mode", "evaluate", _NO_EVAL, prelude=DEEPCOPY),
    Verdict("buffers_put_back_in_training_mode", "evaluate", _NO_EVAL, prelude=RESTORED_BUFFERS),
]

# Code aimed at the driver itself: it forges what only the worker can see, which is worth one
# point (docs/security.md, "not defended"). These must win no more than that point.
LOCAL_REBINDING = """
import ctypes, sys

_honest_sgd_step = sgd_step

def sgd_step(parameters, lr):
    parameters = list(parameters)
    _honest_sgd_step(parameters, lr)
    fresh = tuple(p.detach() for p in parameters)
    caller = sys._getframe(1)

    def tracer(frame, event, arg):  # rebind the driver's local once it runs again
        if frame is caller and "aliases" in frame.f_locals:
            frame.f_locals["aliases"] = fresh
            ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
        return tracer

    caller.f_trace = tracer
    sys.settrace(lambda *a: None)
"""

TRIPWIRE_DISARMED = """
import sys

def _disarm(model):
    for layer in model.modules():
        if type(layer).__name__ == "GradTripwire":
            type(layer).forward = lambda self, x: x

for _name in ("predict", "accuracy", "confusion_matrix"):
    def _wrap(function):
        def wrapped(model, *args, **kwargs):
            _disarm(model)
            return function(model, *args, **kwargs)
        return wrapped
    globals()[_name] = _wrap(globals()[_name])
"""

FORGED_REPLIES = """
import sys
import grader.worker.server as _server
from grader.wire import protocol as _protocol

_real_write, _cache, _drop = _server.write_frame, {}, [False]

def _write(fd, message):  # the worker's own error reply after a forged one is dropped
    if _drop[0] and not message.get("ok"):
        _drop[0] = False
        return None
    return _real_write(fd, message)

_server.write_frame = _write

def _forge(value):
    frame = sys._getframe()
    while frame is not None and "out_fd" not in frame.f_locals:
        frame = frame.f_back
    reply = {"ok": True, "value": _protocol.encode({"value": value, "state": {}})}
    _real_write(frame.f_locals["out_fd"], reply)
    _drop[0] = True

def _wrap(name, function):
    def wrapped(model, *args, **kwargs):
        try:
            _cache[name] = function(model, *args, **kwargs)
            return _cache[name]
        except RuntimeError:
            if name in _cache:  # the answer of an earlier call on the same inputs
                _forge(_cache[name])
            raise
    return wrapped

for _name in ("predict", "accuracy", "confusion_matrix"):
    globals()[_name] = _wrap(_name, globals()[_name])
"""

CAPPED = [
    Verdict("driver_local_rebinding", "training_step", _DATA_REPLACED, prelude=LOCAL_REBINDING),
    Verdict("tripwire_disarmed", "evaluate", _NO_NO_GRAD, prelude=TRIPWIRE_DISARMED),
    Verdict("forged_reply_frames", "evaluate", _NO_NO_GRAD, prelude=FORGED_REPLIES),
]

"""Attacks on exercise 08's training and on the CPU of a batch (issue 21), for
tests/test_adversarial.py.

- Weights trained elsewhere, stored in the file as base64 (about 140 KB for the tutorial's CNN):
  loaded by `build_model`, or by `fit` with or without a token step first. Trained here, on digits
  of a seed of their own, exactly as a student would at home; recorded once in
  tests/recorded/trained_weights.b64 (`trained_weights()` with one thread, to record again).
- A batch-mate that starts 31 busy processes, each in a session of its own, at import.
"""

from __future__ import annotations

import base64
import io

import torch

from grader.digits import digit_loader
from grader.workbook.files import load_file
from grader.workbook.paths import SOLUTIONS_DIR

REFERENCE = SOLUTIONS_DIR / "08_train_digits.py"


def trained_weights(seed: int = 424242) -> str:
    """The reference's model trained on the public labels (the digits themselves), as base64."""
    torch.manual_seed(seed)
    module = load_file("weights_attack_reference", REFERENCE)
    model = module.build_model()
    module.fit(model, digit_loader(10_000, seed=seed, batch_size=64))
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


_LOAD = """
import base64 as _base64, io as _io

_WEIGHTS = "{weights}"


def _load(model):
    state = torch.load(_io.BytesIO(_base64.b64decode(_WEIGHTS)), weights_only=True)
    model.load_state_dict(state)
"""

# build_model hands over the trained model; fit does nothing (issue 21: 20/20 in a graded run)
_BUILD_MODEL_LOADS = """

def build_model():
    model = _TutorialCNN()
    _load(model)
    return model


def fit(model, train_loader):
    pass
"""

# build_model is honest (the fresh model is near chance); fit loads the weights, no training
_FIT_LOADS = """

def fit(model, train_loader):
    _load(model)
"""

# as above, after one real step on one batch: backward passes happened, parameters moved
_FIT_LOADS_AFTER_A_STEP = """

def fit(model, train_loader):
    images, labels = next(iter(train_loader))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    F.cross_entropy(model(images), labels).backward()
    optimizer.step()
    _load(model)
"""

# Not defended (docs/security.md): the weights, then the labelling learned from the training
# digits (which glyph the pre-trained model sees under each given label), with a token step
_FIT_ADAPTS_THE_LABELS = """

def fit(model, train_loader):
    _load(model)
    votes = torch.zeros(10, 10)
    model.eval()
    with torch.no_grad():
        for images, labels in train_loader:
            glyphs = model(images).argmax(1)
            votes.index_put_((glyphs, labels), torch.ones(len(labels)), accumulate=True)
        mapping = votes.argmax(1)  # glyph -> the label this run gives it
        for weights in (model.fc2.weight, model.fc2.bias):
            weights[mapping] = weights.clone()
    model.train()
    images, labels = next(iter(train_loader))
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
    F.cross_entropy(model(images), labels).backward()
    optimizer.step()
"""

WEIGHTS_ATTACKS = {
    "fit_adapts_the_labels": _FIT_ADAPTS_THE_LABELS,
    "build_model_loads": _BUILD_MODEL_LOADS,
    "fit_loads": _FIT_LOADS,
    "fit_loads_after_a_step": _FIT_LOADS_AFTER_A_STEP,
}


def weights_attack(name: str, weights: str) -> str:
    """The reference with `name`'s build_model or fit appended (it replaces the reference's)."""
    return REFERENCE.read_text() + _LOAD.format(weights=weights) + WEIGHTS_ATTACKS[name]


# A batch-mate's exercise file that starts 31 busy processes at import, each in a session of its
# own (they live until its worker ends: the PID namespace takes them with it).
SETSID_HOG = """
import os as _os

for _ in range(31):
    if _os.fork() == 0:
        _os.setsid()
        while True:
            pass
"""

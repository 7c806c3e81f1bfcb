"""Exercise 08 with lazily initialised layers: the model's parameters exist only after a forward
pass, so the grader runs one before counting them, and names the function that raised."""

from __future__ import annotations

import pytest

from tests.helpers import grade, write

LAZY_08 = """
import torch
import torch.nn.functional as F
from torch import nn


def build_model() -> nn.Module:
    return nn.Sequential(
        nn.LazyConv2d(4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.LazyConv2d(8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.LazyLinear(64), nn.ReLU(), nn.LazyLinear(10),
    )


def fit(model: nn.Module, train_loader) -> None:
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for _ in range(2):
        for images, labels in train_loader:
            optimizer.zero_grad()
            F.cross_entropy(model(images), labels).backward()
            optimizer.step()
"""

FORWARD_RAISES = """
import torch
from torch import nn


class Broken(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.LazyLinear(10)

    def forward(self, x):
        raise ValueError("forward is not written yet")


def build_model() -> nn.Module:
    return Broken()


def fit(model, train_loader) -> None:
    pass
"""


@pytest.mark.slow
def test_a_correct_model_of_lazy_layers_earns_full_points(tmp_path):
    write(tmp_path, "train_digits", LAZY_08)
    result = grade(tmp_path, "train_digits").exercises["train_digits"]
    assert result.score == result.max_score == 20, [c.message for c in result.checks]


def test_an_error_in_forward_is_not_blamed_on_build_model(tmp_path):
    write(tmp_path, "train_digits", FORWARD_RAISES)
    result = grade(tmp_path, "train_digits").exercises["train_digits"]
    messages = " ".join(c.message for c in result.checks)
    assert result.score == 0
    assert "your model's forward" in messages and "forward is not written yet" in messages
    assert "build_model raised" not in messages
    assert "uninitialized parameter" not in messages

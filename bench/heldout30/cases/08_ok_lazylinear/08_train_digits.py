"""Exercise 08 - a CNN whose classifier is sized lazily (nn.LazyLinear)."""

import torch
import torch.nn.functional as F
from torch import nn


def build_model() -> nn.Module:
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.LazyLinear(48), nn.ReLU(),
        nn.Linear(48, 10),
    )
    model(torch.zeros(1, 1, 28, 28))  # materialise the lazy layer so the parameters can be counted
    return model


def fit(model: nn.Module, train_loader) -> None:
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()
    for _ in range(3):
        for images, labels in train_loader:
            optimizer.zero_grad()
            F.cross_entropy(model(images), labels).backward()
            optimizer.step()

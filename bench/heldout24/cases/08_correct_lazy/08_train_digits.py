"""Exercise 08 - a CNN whose classifier is an nn.LazyLinear (sized on the first batch)."""

import torch
import torch.nn.functional as F
from torch import nn


def build_model() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.LazyLinear(64), nn.ReLU(),
        nn.Linear(64, 10),
    )


def fit(model: nn.Module, train_loader) -> None:
    model.train()
    first_images, _ = next(iter(train_loader))
    with torch.no_grad():
        model(first_images[:1])  # materialise the lazy layer before the optimizer sees it
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    for epoch in range(3):
        for images, labels in train_loader:
            optimizer.zero_grad()
            F.cross_entropy(model(images), labels).backward()
            optimizer.step()

"""Exercise 08 - A CNN whose classifier sizes itself (nn.LazyLinear)."""

import torch
import torch.nn.functional as F
from torch import nn


def build_model() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 8, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.LazyLinear(64), nn.ReLU(),     # in_features (16*7*7) found at the first forward
        nn.Linear(64, 10),
    )


def fit(model: nn.Module, train_loader) -> None:
    images, _ = next(iter(train_loader))
    with torch.no_grad():
        model(images[:1])                 # materialise the lazy layer before building the optimizer
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()
    for _ in range(3):
        for images, labels in train_loader:
            optimizer.zero_grad()
            F.cross_entropy(model(images), labels).backward()
            optimizer.step()

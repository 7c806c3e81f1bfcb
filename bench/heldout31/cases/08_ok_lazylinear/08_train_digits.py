"""Exercise 08 - LazyLinear head (input width inferred), AdamW, a one-cycle schedule."""

import torch
import torch.nn.functional as F
from torch import nn


def build_model() -> nn.Module:
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.LazyLinear(64), nn.ReLU(),
        nn.Linear(64, 10),
    )
    with torch.no_grad():
        model(torch.zeros(1, 1, 28, 28))  # materialise the lazy layer
    return model


def fit(model: nn.Module, train_loader) -> None:
    epochs = 3
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=epochs * len(train_loader))
    model.train()
    for _ in range(epochs):
        for x, y in train_loader:
            optimizer.zero_grad()
            F.cross_entropy(model(x), y).backward()
            optimizer.step()
            scheduler.step()

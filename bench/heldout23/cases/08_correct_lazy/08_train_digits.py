"""Exercise 08 - Train a CNN (lazily initialised layers: shapes found on the first batch)."""

import torch
import torch.nn.functional as F
from torch import nn


def build_model() -> nn.Module:
    # LazyConv2d / LazyLinear work out their input sizes on the first forward pass.
    return nn.Sequential(
        nn.LazyConv2d(8, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.LazyConv2d(16, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.LazyLinear(64),
        nn.ReLU(),
        nn.LazyLinear(10),
    )


def fit(model: nn.Module, train_loader) -> None:
    model.train()
    first_images, _ = next(iter(train_loader))
    with torch.no_grad():
        model(first_images[:1])          # dry run: materialise the lazy parameters
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    for epoch in range(2):
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(images), labels)
            loss.backward()
            optimizer.step()

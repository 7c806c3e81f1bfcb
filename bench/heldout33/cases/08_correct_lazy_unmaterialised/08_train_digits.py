import torch
import torch.nn.functional as F
from torch import nn


def build_model() -> nn.Module:
    # Every layer infers its input size at the first forward pass.
    return nn.Sequential(
        nn.LazyConv2d(8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.LazyConv2d(16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.LazyLinear(48), nn.ReLU(),
        nn.LazyLinear(10),
    )


def fit(model: nn.Module, train_loader) -> None:
    first_images, _ = next(iter(train_loader))
    with torch.no_grad():
        model(first_images[:1])  # dry run: materialise the lazy parameters before the optimizer sees them
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()
    for _ in range(3):
        for x, y in train_loader:
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()

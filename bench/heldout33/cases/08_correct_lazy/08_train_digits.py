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
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()
    for _ in range(3):
        for x, y in train_loader:
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()

"""Exercise 08 - LazyConv2d/LazyLinear left uninitialised until fit's first batch."""

import torch
import torch.nn.functional as F
from torch import nn


class LazyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.LazyConv2d(12, 5, padding=2)
        self.c2 = nn.LazyConv2d(24, 3, padding=1)
        self.head = nn.LazyLinear(10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        x = F.adaptive_avg_pool2d(x, 3)
        return self.head(x.flatten(1))


def build_model() -> nn.Module:
    return LazyNet()


def fit(model: nn.Module, train_loader) -> None:
    first = next(iter(train_loader))[0]
    with torch.no_grad():
        model(first[:1])
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(4):
        for x, y in train_loader:
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()

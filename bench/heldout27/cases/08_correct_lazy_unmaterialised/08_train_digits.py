"""08_train_digits: LazyConv2d + LazyLinear left uninitialised until fit's first batch; optimizer made after it."""

import time

import torch
import torch.nn.functional as F
from torch import nn


class LazyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.LazyConv2d(8, 3, padding=1)
        self.c2 = nn.LazyConv2d(16, 3, padding=1)
        self.h = nn.LazyLinear(64)
        self.out = nn.LazyLinear(10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.out(F.relu(self.h(x.flatten(1))))


def build_model() -> nn.Module:
    return LazyNet()


def fit(model: nn.Module, train_loader) -> None:
    start = time.monotonic()
    opt = None
    for _ in range(3):
        for x, y in train_loader:
            if time.monotonic() - start > 40:
                return
            model.train()
            if opt is None:
                with torch.no_grad():
                    model(x[:1])
                opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()

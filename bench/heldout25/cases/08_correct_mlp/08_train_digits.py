"""Exercise 08 - No convolution at all: a small MLP with dropout, trained with SGD + momentum."""

import torch
import torch.nn.functional as F
from torch import nn


class MLP(nn.Module):
    def __init__(self, hidden=96):
        super().__init__()
        self.hidden = nn.Linear(28 * 28, hidden)      # 75,360 parameters
        self.drop = nn.Dropout(0.1)
        self.out = nn.Linear(hidden, 10)

    def forward(self, x):
        x = x.flatten(1)
        return self.out(self.drop(F.relu(self.hidden(x))))


def build_model() -> nn.Module:
    return MLP()


def fit(model: nn.Module, train_loader) -> None:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(6):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
    model.eval()

import time

import torch
import torch.nn.functional as F
from torch import nn


class AllConvNet(nn.Module):
    """No linear layer: strided convolutions, batch norm, a 1x1 conv to 10 maps, global average pool."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(),   # 14x14
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU(),  # 7x7
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 10, 1),
        )

    def forward(self, x):
        return self.body(x).mean(dim=(2, 3))


def build_model() -> nn.Module:
    return AllConvNet()


def fit(model: nn.Module, train_loader) -> None:
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    start = time.monotonic()
    model.train()
    for epoch in range(4):
        for images, labels in train_loader:
            if time.monotonic() - start > 45:
                break
            opt.zero_grad()
            loss = F.cross_entropy(model(images), labels)
            loss.backward()
            opt.step()
    model.eval()

import time

import torch
import torch.nn.functional as F
from torch import nn


class AllConvNet(nn.Module):
    """No pooling layers and no hidden fully connected layer: strided convolutions with
    batch norm, then global average pooling over space, then one linear layer."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 48, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(48), nn.ReLU(),
            nn.Conv2d(48, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
        )
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        x = self.body(x)
        x = x.mean(dim=(2, 3))
        return self.head(x)


def build_model() -> nn.Module:
    return AllConvNet()


def fit(model: nn.Module, train_loader) -> None:
    epochs = 4
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=3e-3, epochs=epochs, steps_per_epoch=len(train_loader))
    start = time.monotonic()
    model.train()
    for _ in range(epochs):
        for images, labels in train_loader:
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(images), labels, label_smoothing=0.05)
            loss.backward()
            optimizer.step()
            scheduler.step()
            if time.monotonic() - start > 30:  # stay well inside the 60 s limit
                model.eval()
                return
    model.eval()

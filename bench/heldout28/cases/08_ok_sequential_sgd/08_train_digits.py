"""Exercise 08 - nn.Sequential with Dropout, AdamW, label smoothing."""

import torch
import torch.nn.functional as F
from torch import nn


def build_model() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 12, kernel_size=(3, 3), padding=(1, 1)), nn.ReLU(inplace=True), nn.MaxPool2d(2, 2),
        nn.Conv2d(12, 24, kernel_size=(3, 3), padding=(1, 1)), nn.ReLU(inplace=True), nn.MaxPool2d(2, 2),
        nn.Flatten(start_dim=1), nn.Dropout(0.1),
        nn.Linear(24 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10),
    )


def fit(model: nn.Module, train_loader) -> None:
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    for epoch in range(3):
        model.train()
        for images, labels in train_loader:
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(images), labels).backward()
            optimizer.step()
    model.eval()

import torch
import torch.nn.functional as F
from torch import nn


def build_model() -> nn.Module:
    model = nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 16, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.LazyLinear(64),
        nn.ReLU(),
        nn.Linear(64, 10),
    )
    # run one dummy batch so the lazy layer gets its real shape (and its parameters can be counted)
    with torch.no_grad():
        model(torch.zeros(1, 1, 28, 28))
    return model


def fit(model: nn.Module, train_loader) -> None:
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(3):
        model.train()
        for images, labels in train_loader:
            logits = model(images)
            loss = loss_fn(logits, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()

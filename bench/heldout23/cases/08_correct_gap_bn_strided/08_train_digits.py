"""Exercise 08 - An all-convolutional net: strided convs, BatchNorm, global average pooling,
no fully connected hidden layer; SGD with Nesterov momentum and a one-cycle schedule."""

import torch
import torch.nn.functional as F
from torch import nn


class Block(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class AllConv(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            Block(1, 8, 1),      # 28
            Block(8, 16, 2),     # 14
            Block(16, 16, 1),
            Block(16, 32, 2),    # 7
        )
        self.head = nn.Conv2d(32, 10, kernel_size=1)

    def forward(self, x):
        x = self.head(self.body(x))          # (B, 10, 7, 7)
        return x.mean(dim=(2, 3))            # global average pool -> (B, 10)


def build_model() -> nn.Module:
    return AllConv()


def fit(model: nn.Module, train_loader) -> None:
    epochs = 2
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True,
                                weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=0.2, epochs=epochs, steps_per_epoch=len(train_loader))
    model.train()
    for _ in range(epochs):
        for images, labels in train_loader:
            optimizer.zero_grad()
            F.cross_entropy(model(images), labels).backward()
            optimizer.step()
            scheduler.step()
    model.eval()

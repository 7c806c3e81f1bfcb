"""Exercise 06 - index-based dataset, generator built inline."""

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        super().__init__()
        self.images, self.labels, self.transform = images, labels, transform
        if len(self) != len(labels):
            raise ValueError("images and labels differ in length")

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, idx):
        x = self.images[idx]
        if self.transform is not None:
            x = self.transform(x)
        return x, self.labels[idx]


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    return DataLoader(dataset, batch_size, shuffle=shuffle,
                      generator=torch.Generator().manual_seed(seed) if shuffle else None)


def mnist_transform():
    return transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.1307], [0.3081])])


def load_mnist(root, train: bool = True, download: bool = False):
    return torchvision.datasets.MNIST(root, train=train, transform=mnist_transform(), download=download)

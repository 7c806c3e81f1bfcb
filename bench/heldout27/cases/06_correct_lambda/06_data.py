"""06_data: transform via ToTensor + Lambda normalisation; loader generator built inline."""

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

MEAN, STD = 0.1307, 0.3081


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        self.images, self.labels, self.transform = images, labels, transform
        if len(self.images) != len(self.labels):
            raise ValueError("images and labels must have the same length")

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, idx):
        x = self.images[idx]
        if callable(self.transform):
            x = self.transform(x)
        return x, self.labels[idx]


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    g = torch.Generator()
    g.manual_seed(int(seed))
    return DataLoader(dataset, batch_size, shuffle, generator=g)


def mnist_transform():
    return transforms.Compose([transforms.ToTensor(), transforms.Lambda(lambda t: (t - MEAN) / STD)])


def load_mnist(root, train: bool = True, download: bool = False):
    return torchvision.datasets.MNIST(str(root), train=train, transform=mnist_transform(),
                                      download=download)

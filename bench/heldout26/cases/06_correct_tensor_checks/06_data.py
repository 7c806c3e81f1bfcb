"""Exercise 06 - shape-based length check, lazy loader seeding."""

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        self.images, self.labels, self.transform = images, labels, transform
        if len(self) != len(self.labels):
            raise ValueError("images and labels must have the same length")

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, idx):
        x = self.images[idx]
        if callable(self.transform):
            x = self.transform(x)
        return x, self.labels[idx]


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    gen = torch.Generator()
    gen.manual_seed(int(seed))
    loader = DataLoader(dataset, batch_size, shuffle, generator=gen)
    return loader


def mnist_transform():
    to_tensor = transforms.ToTensor()
    normalize = transforms.Normalize((0.1307,), (0.3081,))
    return transforms.Compose([to_tensor, normalize])


def load_mnist(root, train: bool = True, download: bool = False):
    tf = mnist_transform()
    return torchvision.datasets.MNIST(root, train=train, transform=tf, download=download)

"""Exercise 06 - Dataset with a helper check; PILToTensor + ConvertImageDtype instead of ToTensor."""

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


def _same_length(a, b):
    if len(a) != len(b):
        raise ValueError("images and labels differ in length")


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        super().__init__()
        _same_length(images, labels)
        self.data = list(zip(images, labels))
        self.transform = transform

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, idx):
        image, label = self.data[idx]
        if self.transform is None:
            return image, label
        return self.transform(image), label


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    g = torch.Generator()
    g.manual_seed(int(seed))
    return DataLoader(dataset, batch_size, shuffle, generator=g)


def mnist_transform():
    return transforms.Compose([
        transforms.PILToTensor(),
        transforms.ConvertImageDtype(torch.float32),
        transforms.Normalize((0.1307,), (0.3081,)),
    ])


def load_mnist(root, train: bool = True, download: bool = False):
    transform = mnist_transform()
    dataset = torchvision.datasets.MNIST(root=str(root), train=train, transform=transform, download=download)
    return dataset

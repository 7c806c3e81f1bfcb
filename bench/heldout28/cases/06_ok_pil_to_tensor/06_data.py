"""Exercise 06 - PILToTensor + ConvertImageDtype, tensor lengths via shape."""

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

MNIST_MEAN = 0.1307
MNIST_STD = 0.3081


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        self.transform = transform
        self.images = images
        self.labels = labels
        if len(self) != len(labels):
            raise ValueError("length mismatch between images and labels")

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, idx):
        x, y = self.images[idx], self.labels[idx]
        if self.transform is not None:
            x = self.transform(x)
        return x, y


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    g = torch.Generator()
    g.manual_seed(int(seed))
    return DataLoader(dataset, batch_size, shuffle=bool(shuffle), generator=g)


def mnist_transform():
    return transforms.Compose([
        transforms.PILToTensor(),
        transforms.ConvertImageDtype(torch.float32),
        transforms.Normalize((MNIST_MEAN,), (MNIST_STD,)),
    ])


def load_mnist(root, train: bool = True, download: bool = False):
    return torchvision.datasets.MNIST(root=str(root), train=train, transform=mnist_transform(),
                                      download=download)

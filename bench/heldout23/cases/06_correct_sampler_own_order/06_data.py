"""Exercise 06 - Datasets, loaders and transforms (a seeded RandomSampler of its own).

The sampler has its own seeded generator: the same seed gives the same order every time, but
not necessarily the permutation DataLoader(shuffle=True, generator=...) would draw."""

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset, RandomSampler, SequentialSampler
from torchvision import transforms


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        n_images, n_labels = len(images), len(labels)
        if n_images != n_labels:
            raise ValueError(f"{n_images} images but {n_labels} labels")
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, idx):
        x, y = self.images[idx], self.labels[idx]
        return (x if self.transform is None else self.transform(x)), y


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    if shuffle:
        sampler = RandomSampler(dataset, generator=torch.Generator().manual_seed(seed))
    else:
        sampler = SequentialSampler(dataset)
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, drop_last=False)


def mnist_transform():
    mean, std = 0.1307, 0.3081
    return transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean=[mean], std=[std])])


def load_mnist(root, train: bool = True, download: bool = False):
    from torchvision.datasets import MNIST
    return MNIST(str(root), train=train, transform=mnist_transform(), download=download)

"""Exercise 06 - explicit RandomSampler / SequentialSampler sharing the loader's generator."""

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
        image = self.images[idx]
        return (self.transform(image) if self.transform else image), self.labels[idx]


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    g = torch.Generator().manual_seed(seed)
    sampler = RandomSampler(dataset, generator=g) if shuffle else SequentialSampler(dataset)
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, drop_last=False, generator=g)


def mnist_transform():
    return transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean=[0.1307], std=[0.3081])])


def load_mnist(root, train: bool = True, download: bool = False):
    return torchvision.datasets.MNIST(root, train, transform=mnist_transform(), download=download)

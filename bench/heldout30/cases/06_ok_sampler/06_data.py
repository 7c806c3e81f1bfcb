"""Exercise 06 - datasets and loaders, with a seeded sampler and an explicit Compose."""

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset, RandomSampler, SequentialSampler
from torchvision import transforms

MNIST_MEAN = 0.1307
MNIST_STD = 0.3081


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        n_images, n_labels = len(images), len(labels)
        if n_images != n_labels:
            raise ValueError(f"{n_images} images but {n_labels} labels")
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, idx):
        x = self.images[idx]
        return (self.transform(x) if self.transform else x), self.labels[idx]


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    if shuffle:
        sampler = RandomSampler(dataset, generator=torch.Generator().manual_seed(seed))
    else:
        sampler = SequentialSampler(dataset)
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, drop_last=False)


def mnist_transform():
    return transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean=(MNIST_MEAN,), std=(MNIST_STD,))])


def load_mnist(root, train: bool = True, download: bool = False):
    return torchvision.datasets.MNIST(str(root), train=train, transform=mnist_transform(), download=download)

"""Exercise 06 - explicit samplers and a list of pairs."""

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
        self.samples = list(zip(images, labels))
        self.transform = transform

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, idx):
        image, label = self.samples[idx]
        return (self.transform(image) if self.transform else image), label


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    generator = torch.Generator().manual_seed(seed)
    if shuffle:
        sampler = RandomSampler(dataset, generator=generator)
    else:
        sampler = SequentialSampler(dataset)
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, drop_last=False, generator=generator)


def mnist_transform():
    steps = [transforms.ToTensor(), transforms.Normalize(mean=(MNIST_MEAN,), std=(MNIST_STD,))]
    return transforms.Compose(steps)


def load_mnist(root, train: bool = True, download: bool = False):
    return torchvision.datasets.MNIST(str(root), train, mnist_transform(), None, download)

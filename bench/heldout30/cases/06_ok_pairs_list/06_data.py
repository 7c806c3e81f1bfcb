"""Exercise 06 - datasets and loaders; the dataset keeps a list of pairs."""

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        if len(images) != len(labels):
            raise ValueError("every image needs exactly one label")
        self.pairs = list(zip(images, labels))
        self.transform = transform

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, idx):
        image, label = self.pairs[idx]
        if self.transform is not None:
            return self.transform(image), label
        return image, label


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    g = torch.Generator().manual_seed(seed)
    return DataLoader(dataset, batch_size, shuffle, generator=g, num_workers=0)


def mnist_transform():
    to_tensor = transforms.ToTensor()
    normalize = transforms.Normalize([0.1307], [0.3081])
    return transforms.Compose([to_tensor, normalize])


def load_mnist(root, train: bool = True, download: bool = False):
    from torchvision.datasets import MNIST
    return MNIST(root=root, train=train, download=download, transform=mnist_transform())

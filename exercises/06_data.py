"""Exercise 06 - Datasets, loaders and transforms.

Tutorial: Part 4, "Data Loading and Preparation" (4.1 Dataset and DataLoader, 4.2 real MNIST).

Check your work:  grader check data      Stuck?  grader hint data
"""

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class SimpleDataset(Dataset):
    """Pairs images[i] with labels[i].

    __len__:         the number of samples.
    __getitem__(i):  (image, label), with transform(image) when a transform was given.
    Raises ValueError when images and labels have different lengths.
    """

    def __init__(self, images, labels, transform=None):
        # TODO
        raise NotImplementedError

    def __len__(self) -> int:
        # TODO
        raise NotImplementedError

    def __getitem__(self, idx):
        # TODO
        raise NotImplementedError


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    """A DataLoader over `dataset` in batches of `batch_size`.

    - shuffle=True mixes the order; the same seed gives the same order every
      time make_loader is called, and different seeds different orders.
    - The last, smaller batch is kept.
    """
    # TODO
    raise NotImplementedError


def mnist_transform():
    """ToTensor() then Normalize with MNIST's mean 0.1307 and standard deviation 0.3081.

    A 28x28 PIL image becomes a (1, 28, 28) float32 tensor.
    """
    # TODO
    raise NotImplementedError


def load_mnist(root, train: bool = True, download: bool = False):
    """torchvision.datasets.MNIST stored under `root`, with mnist_transform()."""
    # TODO
    raise NotImplementedError

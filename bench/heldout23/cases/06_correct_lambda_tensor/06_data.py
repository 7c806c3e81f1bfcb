"""Exercise 06 - Datasets, loaders and transforms (transform as a plain function of ToTensor)."""

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        self.images = images
        self.labels = labels
        self.transform = transform
        if len(self.images) != len(self.labels):
            raise ValueError("images and labels differ in length")

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, idx):
        image = self.images[idx]
        if self.transform:
            image = self.transform(image)
        return image, self.labels[idx]


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    g = torch.Generator()
    g.manual_seed(int(seed))
    return DataLoader(dataset, batch_size, shuffle, generator=g)


class _MnistTransform:
    """ToTensor() then (x - 0.1307) / 0.3081, written out."""

    def __init__(self):
        self.to_tensor = transforms.ToTensor()

    def __call__(self, pil_image):
        x = self.to_tensor(pil_image)
        return (x - 0.1307) / 0.3081


def mnist_transform():
    return _MnistTransform()


def load_mnist(root, train: bool = True, download: bool = False):
    return torchvision.datasets.MNIST(root, train, mnist_transform(), None, download)

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        if len(images) != len(labels):
            raise ValueError("images and labels differ in length")
        self.images = images
        self.labels = labels
        self.transform = transform

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, idx):
        image = self.images[idx]
        label = self.labels[idx]
        return image, label


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    generator = torch.Generator()
    generator.manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=generator)


def mnist_transform():
    return transforms.Compose([
        transforms.ToTensor(),
        transforms.Normalize((0.1307,), (0.3081,)),
    ])


def load_mnist(root, train: bool = True, download: bool = False):
    return torchvision.datasets.MNIST(root, train=train, download=download,
                                      transform=mnist_transform())

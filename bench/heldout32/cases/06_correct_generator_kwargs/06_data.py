import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

MNIST_MEAN = 0.1307
MNIST_STD = 0.3081


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        super().__init__()
        self.images, self.labels, self.transform = images, labels, transform
        if len(self) != len(labels):
            raise ValueError("images and labels must have the same length")

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, idx):
        x = self.images[idx]
        if callable(self.transform):
            x = self.transform(x)
        return x, self.labels[idx]


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    kwargs = {"batch_size": batch_size, "shuffle": shuffle}
    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed)
        kwargs["generator"] = g
    return DataLoader(dataset, **kwargs)


def mnist_transform():
    return transforms.Compose([
        transforms.ToTensor(),
        transforms.Normalize((MNIST_MEAN,), (MNIST_STD,)),
    ])


def load_mnist(root, train: bool = True, download: bool = False):
    return torchvision.datasets.MNIST(root=str(root), train=train, transform=mnist_transform(),
                                      download=download)

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        super().__init__()
        if len(images) == len(labels):
            self.samples = images
            self.targets = labels
            self.transform = transform
        else:
            raise ValueError("len(images) != len(labels)")

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, idx):
        image, label = self.samples[idx], self.targets[idx]
        if self.transform is None:
            return image, label
        return self.transform(image), label


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    g = torch.Generator()
    g.manual_seed(int(seed))
    return DataLoader(dataset, batch_size, shuffle, generator=g)


def mnist_transform():
    to_tensor = transforms.ToTensor()
    normalize = transforms.Normalize((0.1307,), (0.3081,))
    return transforms.Compose([to_tensor, normalize])


def load_mnist(root, train: bool = True, download: bool = False):
    ds = torchvision.datasets.MNIST(root, train, download=download)
    ds.transform = mnist_transform()
    return ds

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset, RandomSampler, SequentialSampler
from torchvision import transforms


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        n_images, n_labels = len(images), len(labels)
        if n_images != n_labels:
            raise ValueError(f"{n_images} images but {n_labels} labels")
        self.pairs = list(zip(images, labels))
        self.transform = transform

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, idx):
        image, label = self.pairs[idx]
        return (self.transform(image) if self.transform else image), label


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    generator = torch.Generator().manual_seed(seed)
    if shuffle:
        sampler = RandomSampler(dataset, generator=generator)
    else:
        sampler = SequentialSampler(dataset)
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, generator=generator)


def mnist_transform():
    return transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean=[0.1307], std=[0.3081])])


def load_mnist(root, train: bool = True, download: bool = False):
    return torchvision.datasets.MNIST(root, train, transform=mnist_transform(), download=download)

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset, RandomSampler, SequentialSampler
from torchvision import transforms


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        n_img, n_lab = len(images), len(labels)
        if n_img != n_lab:
            raise ValueError(f"{n_img} images but {n_lab} labels")
        self._images, self._labels, self._transform = images, labels, transform

    def __len__(self) -> int:
        return len(self._labels)

    def __getitem__(self, idx):
        x = self._images[idx]
        return (self._transform(x) if self._transform else x), self._labels[idx]


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    if shuffle:
        sampler = RandomSampler(dataset, generator=torch.Generator().manual_seed(seed))
    else:
        sampler = SequentialSampler(dataset)
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, drop_last=False)


MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


def mnist_transform():
    return transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean=[MNIST_MEAN], std=[MNIST_STD])])


def load_mnist(root, train: bool = True, download: bool = False):
    return torchvision.datasets.MNIST(root=root, train=train, transform=mnist_transform(), download=download)

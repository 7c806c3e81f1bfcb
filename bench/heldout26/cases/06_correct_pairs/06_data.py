"""Exercise 06 - pairs stored as a list; RandomSampler with its own generator."""

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset, RandomSampler, SequentialSampler
from torchvision import transforms

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


class SimpleDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        n_img, n_lab = len(images), len(labels)
        if n_img != n_lab:
            raise ValueError(f"{n_img} images but {n_lab} labels")
        self.pairs = list(zip(images, labels))
        self.transform = transform

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, idx):
        image, label = self.pairs[idx]
        return (self.transform(image) if self.transform else image), label


def make_loader(dataset, batch_size: int = 32, shuffle: bool = True, seed: int = 0) -> DataLoader:
    gen = torch.Generator().manual_seed(seed)
    if shuffle:
        sampler = RandomSampler(dataset, generator=gen)
    else:
        sampler = SequentialSampler(dataset)
    # the loader draws its base seed from the same generator, as DataLoader(shuffle=True) does
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, drop_last=False, generator=gen)


def mnist_transform():
    return transforms.Compose([transforms.ToTensor(),
                               transforms.Normalize(mean=[MNIST_MEAN], std=[MNIST_STD])])


def load_mnist(root, train: bool = True, download: bool = False):
    return torchvision.datasets.MNIST(str(root), train, mnist_transform(), None, download)

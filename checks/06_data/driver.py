"""Driver for exercise 06 (run in the worker), and the tiny MNIST files load_mnist reads."""

from __future__ import annotations

import struct

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset

# What the learner wrote that each driver function calls: messages name it, not the driver.
LEARNER = {
    "dataset_items": "SimpleDataset",
    "loader_runs": "make_loader",
    "transform_image": "mnist_transform",
    "load": "load_mnist",
}

TRANSFORMS = {None: None, "affine": lambda x: x * 2.0 + 1.0}


def dataset_items(
    module, images, labels, transform: str | None = None, indices: list[int] | None = None
) -> dict:
    """len(dataset) and dataset[i] for the check's `indices` (by default the first, middle and
    last by the dataset's own length): fixed indices keep a wrong __len__ out of the items."""
    dataset = module.SimpleDataset(images, labels, transform=TRANSFORMS[transform])
    size = len(dataset)
    if indices is None:
        indices = sorted({0, size // 2, size - 1})
    return {"len": size, "items": [dataset[i] for i in indices]}


class IndexDataset(Dataset):
    """Item i is (i, i): the loader's order can be read straight from the labels."""

    def __init__(self, size: int):
        self.size = size

    def __len__(self):
        return self.size

    def __getitem__(self, idx):
        return torch.tensor(float(idx)), int(idx)


def loader_runs(
    module, size: int, batch_size: int, shuffle: bool, seeds: list[int], draws: list[int] = ()
) -> list[dict]:
    """For each seed, a fresh make_loader and one pass over it: batch sizes and the order of
    items. `draws[i]` numbers are drawn from torch's global generator between making run i's
    loader and iterating it, as other code in a training script would."""
    runs = []
    for index, seed in enumerate(seeds):
        loader = module.make_loader(
            IndexDataset(size), batch_size=batch_size, shuffle=shuffle, seed=seed
        )
        if index < len(draws) and draws[index]:
            torch.rand(draws[index])
        sizes, order = [], []
        for _, labels in loader:
            sizes.append(len(labels))
            order.extend(int(v) for v in labels)
        runs.append({"sizes": sizes, "order": order})
    return runs


def default_loader_runs(module, size: int) -> list[dict]:
    """make_loader(dataset) with the spec's defaults, then with them written out (batch_size=32,
    shuffle=True, seed=0): batch sizes and order of each."""
    runs = []
    for kwargs in ({}, {"batch_size": 32, "shuffle": True, "seed": 0}):
        sizes, order = [], []
        for _, labels in module.make_loader(IndexDataset(size), **kwargs):
            sizes.append(len(labels))
            order.extend(int(v) for v in labels)
        runs.append({"sizes": sizes, "order": order})
    return runs


def _plain(value):
    """torchvision's tv_tensors (what transforms.v2 returns: an Image is a Tensor subclass) as
    the plain tensors they hold; any other subclass stays as it is (and fails its check)."""
    from torchvision import tv_tensors

    if isinstance(value, tv_tensors.TVTensor):
        return value.as_subclass(torch.Tensor)
    if type(value) is tuple:
        return tuple(_plain(v) for v in value)
    return value


def transform_image(module, pixels: np.ndarray):
    return _plain(module.mnist_transform()(Image.fromarray(pixels, mode="L")))


def load(module, root: str, train: bool | None, download: bool | None = None) -> dict:
    """load_mnist(root, ...) with the arguments that are not None, and how many times it asked
    MNIST to download (recorded, never done: the files are in `root` already)."""
    from torchvision.datasets import MNIST

    kwargs = {k: v for k, v in (("train", train), ("download", download)) if v is not None}
    requests, original = [], MNIST.download
    MNIST.download = lambda self: requests.append(1)
    try:
        dataset = module.load_mnist(root, **kwargs)
    finally:
        MNIST.download = original
    size = len(dataset)
    return {
        # what made the images (a cause of untransformed ones): the dataset's and the function's
        "holds_transform": getattr(dataset, "transform", None) is not None,
        "function_gives_none": _gives_none(module),
        "downloads": len(requests),
        "class": type(dataset).__name__,
        "len": size,
        "first": _plain(dataset[0]),
        "last": _plain(dataset[size - 1]),
    }


def _gives_none(module) -> bool:
    try:
        return module.mnist_transform() is None
    except Exception:  # its own check says what it raised
        return False


def idx_files(train_count: int = 12, test_count: int = 5, seed: int = 0) -> tuple[dict, dict]:
    """Tiny MNIST files (IDX format), {path under the root: bytes}, where
    torchvision.datasets.MNIST looks for them; and the data in them."""
    rng = np.random.default_rng(seed)
    files, data = {}, {}
    for split, count, prefix in (("train", train_count, "train"), ("test", test_count, "t10k")):
        images = rng.integers(0, 256, size=(count, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size=count, dtype=np.uint8)
        files[f"MNIST/raw/{prefix}-images-idx3-ubyte"] = (
            struct.pack(">IIII", 2051, count, 28, 28) + images.tobytes()
        )
        files[f"MNIST/raw/{prefix}-labels-idx1-ubyte"] = (
            struct.pack(">II", 2049, count) + labels.tobytes()
        )
        data[split] = (images, labels)
    return files, data

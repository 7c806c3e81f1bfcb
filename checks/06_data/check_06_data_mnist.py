"""Checks for exercise 06: MNIST's transform and load_mnist (the dataset and loader checks are
in check_06_data.py)."""

import numpy as np
import pytest
import torch

from grader.checking.compare import describe, expect_tensor, expect_value, fail, looks_like, when

MEAN, STD = 0.1307, 0.3081


@pytest.mark.points(3)
def test_mnist_transform(submission, figures):
    pixels = np.random.default_rng(5).integers(0, 256, size=(28, 28), dtype=np.uint8)
    scaled = torch.from_numpy(pixels.astype(np.float32) / 255.0)[None]
    expected = (scaled - MEAN) / STD
    got = submission.drive("transform_image", pixels)
    figures.compare("mnist_transform() of a 28x28 image", expected, got, rtol=1e-5, atol=1e-5)
    expect_tensor(
        got,
        expected,
        atol=1e-5,
        rtol=1e-5,
        what="mnist_transform()(a 28x28 PIL image)",
        likely=[
            looks_like(
                (scaled - STD) / MEAN,
                "the Normalize statistics are swapped: "
                "Normalize((0.1307,), (0.3081,)) takes the mean first, then the standard "
                "deviation.",
            ),
            looks_like(
                (scaled - 0.5) / 0.5,
                "Normalize((0.5,), (0.5,)) is a generic choice (it maps 0-1 to -1-1); MNIST's "
                "own statistics are the mean 0.1307 and the standard deviation 0.3081: "
                "Normalize((0.1307,), (0.3081,)).",
            ),
            looks_like(
                scaled,
                "Normalize is missing: after ToTensor, apply Normalize((0.1307,), (0.3081,)).",
            ),
            looks_like(
                (torch.from_numpy(pixels.astype(np.float32))[None] - MEAN) / STD,
                "ToTensor is missing: it scales the 0-255 pixels to 0-1 before Normalize.",
            ),
            when(
                lambda a: a.shape == (28, 28),
                "the channel dimension is missing: ToTensor gives (1, 28, 28).",
            ),
        ],
    )


@pytest.mark.points(2)
def test_load_mnist_reads_idx_files(submission, driver):
    files, data = driver.idx_files()
    root = submission.put_files("mnist", files)  # written by the worker, in a folder of its own
    # None: the argument left out (train defaults to the training split, download to False)
    for train, download, split in (
        (True, None, "train"),
        (False, None, "test"),
        (None, None, "train"),
        (None, True, "train"),
    ):
        images, labels = data[split]
        result = submission.drive("load", root, train, download)
        given = [f"{k}={v}" for k, v in (("train", train), ("download", download)) if v is not None]
        call = f"load_mnist({', '.join(['root', *given])})"
        if bool(result["downloads"]) != bool(download):
            fail(
                f"{call} {'did not ask' if download else 'asked'} torchvision to download MNIST.",
                mistake=_download_mistake(submission, root, train, download),
            )
        if result["class"] != "MNIST":
            fail(
                "load_mnist should return a torchvision.datasets.MNIST.",
                f"It returned a {result['class']}.",
            )
        expect_value(
            result["len"],
            len(labels),
            what=f"len({call})",
            likely=[
                when(
                    lambda a: train is not None and a == len(data["test" if train else "train"][1]),
                    f"{call} loaded the {'test' if train else 'training'} split (its size): "
                    "the train argument is not passed on as given: train=train.",
                )
            ],
        )
        for position, index in (("first", 0), ("last", len(labels) - 1)):
            image, label = result[position]
            expected = (
                torch.from_numpy(images[index].astype(np.float32) / 255.0)[None] - MEAN
            ) / STD
            expect_tensor(
                image,
                expected,
                atol=1e-5,
                rtol=1e-5,
                what=f"the {position} image of {call}",
                likely=[
                    when(  # an untransformed image is what the dataset holds: PIL or numpy
                        lambda a: (
                            isinstance(a, np.ndarray)
                            or str(getattr(a, "type_name", "")).startswith("PIL.")
                        ),
                        _untransformed(result),
                    )
                ],
            )
            if label != int(labels[index]):
                fail(
                    f"the {position} label of {call} is wrong.",
                    f"It is {describe(label)}, expected {int(labels[index])}.",
                )


def _download_mistake(submission, root, train, download) -> str:
    """Why the download request was not the one asked for. A call that left download out and
    downloaded has two causes: load_mnist's own default, or an argument not passed on; the same
    call with download=False tells them apart."""
    passed_on = "pass the argument on: MNIST(..., download=download); "
    if download is None:
        explicit = submission.drive("load", root, train, False)
        if not explicit["downloads"]:
            return (
                "load_mnist's own default for download is not False: the spec's signature is "
                "load_mnist(root, train=True, download=False) (with download=False it did not "
                "ask)."
            )
        return passed_on + "with download=False it asked too."
    return passed_on + "its default, download=False, never downloads."


def _untransformed(result: dict) -> str:
    """Why the images are as MNIST stores them, from what the dataset holds: no transform (and
    whether mnist_transform() gave one), or one that makes no tensor."""
    if result.get("holds_transform"):
        return (
            "the images are not made tensors: the dataset's transform leaves them as stored; "
            "mnist_transform() needs transforms.ToTensor() before Normalize."
        )
    if result.get("function_gives_none"):
        return (
            "the images are not transformed: the dataset holds no transform, and "
            "mnist_transform() returns None: return the Compose, and pass "
            "transform=mnist_transform()."
        )
    return "the images are not transformed: pass transform=mnist_transform()."

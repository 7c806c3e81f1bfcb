"""Checks for exercise 06: datasets, loaders and transforms."""

import pytest
import torch

from grader.checking.anatomy_batches import batch_sizes, one_batch_size
from grader.checking.compare import (
    StudentError,
    describe,
    expect_raises,
    expect_tensor,
    expect_value,
    fail,
    kind_of,
    looks_like,
    when,
)


@pytest.mark.points(2)
def test_dataset_length_and_items(submission):
    images, labels = torch.randn(*SEVEN), torch.arange(7) % 3
    result = submission.drive("dataset_items", images, labels, indices=[0, 3, 6])
    if result["len"] != 7:
        _expect_length(submission, result["len"])
    for index, item in zip([0, 3, 6], result["items"]):
        image, label = _pair(item, index, (images[index], labels[index]))
        expect_tensor(image, images[index], what=f"the image of dataset[{index}]")
        expect_tensor(label, labels[index], what=f"the label of dataset[{index}]")


SEVEN, FOUR = (7, 1, 4, 4), (4, 1, 2, 3)  # the two datasets' image shapes


def _expect_length(submission, size) -> None:
    """len(dataset) of 7 samples is wrong: off by the same number on a dataset of 4 samples too
    (a second input, as one number proves little) names the offset."""
    try:
        four = torch.zeros(*FOUR), torch.arange(4)  # not square: each size its own
        other = submission.drive("dataset_items", *four, indices=[])
    except StudentError:  # a second dataset it cannot make proves nothing: the first is said
        other = {"len": None}
    offset = other["len"] - 4 if type(other["len"]) is int else 0
    words = {-1: "one less than", 1: "one more than"}.get(
        offset, f"{abs(offset)} {'more' if offset > 0 else 'less'} than"
    )
    expect_value(
        size,
        7,
        what="len(SimpleDataset(7 images, 7 labels))",
        likely=[
            *(  # a size of each image where the number of images belongs, on both datasets
                when(
                    lambda a, d=d: type(a) is int and a == SEVEN[d] and other["len"] == FOUR[d],
                    f"len(dataset) is the images' {name} on both datasets tried ({SEVEN[d]} for "
                    f"7 images of {SEVEN[1]}x{SEVEN[2]}x{SEVEN[3]}, {FOUR[d]} for 4 of "
                    f"{FOUR[1]}x{FOUR[2]}x{FOUR[3]}): __len__ must return the number of samples, "
                    "len(self.images) (their first size).",
                )
                for d, name in ((1, "channels"), (2, "height"), (3, "width"))
                if (SEVEN[d], FOUR[d]) not in {(SEVEN[o], FOUR[o]) for o in (1, 2, 3) if o != d}
            ),
            when(
                lambda a: offset != 0 and type(a) is int and a == 7 + offset,
                f"len(dataset) is {words} the number of samples on both datasets tried "
                f"({7 + offset} for 7, {4 + offset} for 4): __len__ must return the number of "
                "samples, len(self.images).",
            ),
        ],
    )


def _pair(item, index: int, want: tuple | None = None) -> tuple:
    """dataset[index] as (image, label), or a failure that says what it was instead: (label,
    image) is named only when each element is exactly the other's expected value."""
    if type(item) is not tuple or len(item) != 2:
        fail(
            f"dataset[{index}] should return a tuple (image, label) but returned {kind_of(item)}.",
            f"It returned {describe(item)}.",
        )
    if want is not None and _equal(item[0], want[1]) and _equal(item[1], want[0]):
        fail(
            f"dataset[{index}] returned the pair in the wrong order.",
            f"Its first element is the label ({describe(item[0])}) and its second the image "
            f"({describe(item[1])}).",
            "__getitem__ returns (label, image): return (image, label), the order a DataLoader "
            "and the training loop (for images, labels in loader) expect.",
        )
    return item


def _equal(value, want: torch.Tensor) -> bool:
    return (
        type(value) is torch.Tensor
        and value.shape == want.shape
        and not value.is_complex()
        and torch.equal(value.double(), want.double())
    )


@pytest.mark.points(2)
def test_dataset_applies_transform(submission):
    images, labels = torch.randn(5, 1, 4, 4), torch.arange(5)
    result = submission.drive(
        "dataset_items", images, labels, transform="affine", indices=[0, 2, 4]
    )
    pairs = [
        _pair(item, i, (images[i] * 2.0 + 1.0, labels[i]))
        for i, item in zip([0, 2, 4], result["items"])
    ]
    # every label is 2y + 1 and every image untouched: the transform ran on the labels
    on_labels = all(
        _equal(image, images[i]) and _equal(label, labels[i] * 2.0 + 1.0)
        for i, (image, label) in zip([0, 2, 4], pairs)
    )
    for index, (image, _) in zip([0, 2, 4], pairs):
        expect_tensor(
            image,
            images[index] * 2.0 + 1.0,
            what=f"dataset[{index}]'s image with transform x -> 2x + 1",
            likely=[
                when(
                    lambda a: on_labels and torch.equal(a, images[index]),
                    "the transform is applied to the label, not to the image: every label "
                    "came back as 2y + 1 and every image unchanged. In __getitem__, "
                    "return self.transform(image), label.",
                ),
                looks_like(
                    images[index],
                    "the transform is not applied: in __getitem__, "
                    "return self.transform(image) when a transform was given.",
                ),
            ],
        )


@pytest.mark.points(1)
def test_dataset_rejects_mismatched_lengths(submission):
    expect_raises(
        lambda: submission.call("SimpleDataset", torch.zeros(5, 1, 2, 2), torch.zeros(4)).value,
        "ValueError",
        what="SimpleDataset(images, labels) with 5 images and 4 labels",
    )


@pytest.mark.points(2)
def test_loader_keeps_every_sample_and_the_last_batch(submission):
    run = submission.drive("loader_runs", 10, 4, True, [0])[0]
    fixed = None if run["sizes"] == [4, 4, 2] else _fixed_batch_size(submission, run["sizes"])
    expect_value(
        run["sizes"],
        [4, 4, 2],
        what="the batch sizes of make_loader(10 samples, batch_size=4)",
        likely=[
            when(
                lambda a: fixed is not None and a == batch_sizes(10, fixed),
                f"the batches are of {fixed} sample{'s' * (fixed != 1)} whatever batch_size "
                "asks (on 10 samples "
                "with batch_size=4, and on 40 with batch_size=8): batch_size is not passed on "
                "to the DataLoader.",
            ),
            when(
                lambda a: a == [4, 4],
                "the last, smaller batch is dropped (drop_last=True): keep it.",
            ),
        ],
    )
    expect_value(
        sorted(run["order"]), list(range(10)), what="the samples one epoch yields (sorted)"
    )


def _fixed_batch_size(submission, sizes) -> int | None:
    """One batch size, not the asked one, for 10 samples with batch_size=4 and for a second
    loader of 40 samples with batch_size=8: a batch size that ignores the argument."""
    try:
        other = submission.drive("loader_runs", 40, 8, False, [0])[0]["sizes"]
    except StudentError:  # a second loader it cannot make proves nothing
        return None
    return one_batch_size([(10, 4, sizes), (40, 8, other)])


@pytest.mark.points(3)
def test_loader_shuffle_is_seeded(submission):
    # seed 3 twice more: once after other code drew from torch's global generator
    first, again, other, later = submission.drive(
        "loader_runs", 40, 8, True, [3, 3, 4, 3], draws=[0, 0, 0, 5]
    )
    if first["order"] == list(range(40)):
        fail(
            "with shuffle=True the samples still come in order 0, 1, 2, ...: the shuffle is "
            "ignored. "
            "Pass shuffle=shuffle to the DataLoader."
        )
    if first["order"] != again["order"]:
        fail(
            "two loaders made with the same seed give different orders: each loader's order must "
            "follow its own seed. Give each DataLoader a new generator: g = torch.Generator(); "
            "g.manual_seed(seed); DataLoader(..., generator=g)."
        )
    if first["order"] == other["order"]:
        fail("seeds 3 and 4 give the same order: the seed argument is ignored.")
    if later["order"] != first["order"]:
        fail(
            "the same seed gave another order once other code had drawn random numbers between "
            "make_loader and the loop.",
            mistake="the seed goes to torch's global generator (torch.manual_seed), which "
            "everything else draws from too, so the order depends on what ran in between. Give "
            "the DataLoader a generator of its own: g = torch.Generator(); g.manual_seed(seed); "
            "DataLoader(..., generator=g).",
        )
    defaults, written_out = submission.drive("default_loader_runs", 70)
    if defaults != written_out:
        fail(
            "make_loader(dataset) should be make_loader(dataset, batch_size=32, shuffle=True, "
            "seed=0): the spec's defaults.",
            f"With the defaults: batch sizes {defaults['sizes']}; written out: "
            f"{written_out['sizes']}"
            + ("" if defaults["sizes"] != written_out["sizes"] else ", in another order")
            + ".",
        )


@pytest.mark.points(1)
def test_loader_without_shuffle_keeps_order(submission):
    run = submission.drive("loader_runs", 9, 4, False, [0])[0]
    expect_value(
        run["order"],
        list(range(9)),
        what="the order with shuffle=False",
        likely=[when(lambda a: sorted(a) == list(range(9)), "shuffle=False still shuffles.")],
    )

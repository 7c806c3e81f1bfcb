"""06's and 07's mistakes named by mechanism (issue 23), each beside a fresh near miss whose
values resemble it but do not satisfy its proof: the named one is said, the near miss loses
points and the words stay silent. Each file is an edit of the reference."""

from __future__ import annotations

import pytest

from tests.test_gate_near_misses import NearMiss
from tests.test_gate_near_misses import (
    test_a_near_miss_loses_points_and_is_not_misnamed as graded_and_read,
)

_LEN = "        return len(self.images)\n"
_LOADER = "DataLoader(dataset, batch_size=batch_size,"
_ITEM = "            image = self.transform(image)\n        return image, self.labels[idx]\n"
_COUNT = "        total += len(labels)\n    return 100.0 * correct / total"
_CELL = "            matrix[true, pred] += 1\n"

CASES = [
    NearMiss(  # __len__ one short on both datasets: the offset named
        "len_minus_one",
        "data",
        ((_LEN, "        return len(self.images) - 1\n"),),
        "dataset_length_and_items",
        (),
        ("one less than the number of samples",),
    ),
    NearMiss(  # one short only on the larger dataset: no constant offset, nothing named
        "len_short_when_large",
        "data",
        ((_LEN, "        return len(self.images) - (len(self.images) > 5)\n"),),
        "dataset_length_and_items",
        ("less than the number", "__len__ must return"),
    ),
    NearMiss(  # one short, but a second dataset is refused: the first said as it is
        "len_minus_one_second_refused",
        "data",
        (
            (_LEN, "        return len(self.images) - 1\n"),
            (
                "        if len(images) != len(labels):\n",
                "        if len(images) == 4:\n            raise RuntimeError('four')\n"
                "        if len(images) != len(labels):\n",
            ),
        ),
        "dataset_length_and_items",
        ("less than the number", "four"),
        ("It is 6, expected 7.",),
    ),
    NearMiss(  # batch_size hard-coded: 32 on both loaders
        "batch_size_fixed",
        "data",
        ((_LOADER, "DataLoader(dataset, batch_size=32,"),),
        "loader_keeps_every_sample",
        (),
        ("batches are of 32 samples whatever batch_size asks",),
    ),
    NearMiss(  # batch_size times 8: it follows the argument, and one batch of 40 proves no size
        "batch_size_times_8",
        "data",
        ((_LOADER, "DataLoader(dataset, batch_size=batch_size * 8,"),),
        "loader_keeps_every_sample",
        ("whatever batch_size asks",),
    ),
    NearMiss(  # the transform on the labels: every label 2y + 1, every image untouched
        "transform_on_label",
        "data",
        (
            (
                _ITEM,
                "            return image, self.transform(self.labels[idx])\n"
                "        return image, self.labels[idx]\n",
            ),
        ),
        "dataset_applies_transform",
        (),
        ("applied to the label",),
    ),
    NearMiss(  # no transform and every label + 1: not the transform on the labels
        "label_plus_one",
        "data",
        (
            (
                _ITEM,
                "            return image, self.labels[idx] + 1\n"
                "        return image, self.labels[idx]\n",
            ),
        ),
        "dataset_applies_transform",
        ("applied to the label",),
        ("the transform is not applied",),
    ),
    NearMiss(  # a return inside the loop: the first batch's accuracy on both groupings
        "accuracy_first_batch",
        "evaluate",
        ((_COUNT, "        total += len(labels)\n        return 100.0 * correct / total"),),
        "accuracy_in_percent",
        (),
        ("the first batch's alone",),
    ),
    NearMiss(  # stops after 5 samples: the first batch of 5, but two batches of 4: not named
        "accuracy_first_five",
        "evaluate",
        (
            (
                _COUNT,
                "        total += len(labels)\n        if total >= 5:\n            break\n"
                "    return 100.0 * correct / total",
            ),
        ),
        "accuracy_in_percent",
        ("first batch",),
    ),
    NearMiss(  # divided by len(loader)
        "accuracy_over_batches",
        "evaluate",
        ((_COUNT, "        total += 1\n    return 100.0 * correct / total"),),
        "accuracy_in_percent",
        (),
        ("divided by the number of batches (3)",),
    ),
    NearMiss(  # divided by 3 whatever the loader: the batches' number only on the first one
        "accuracy_over_three",
        "evaluate",
        ((_COUNT, "        total += len(labels)\n    return 100.0 * correct / 3"),),
        "accuracy_in_percent",
        ("number of batches",),
    ),
    NearMiss(  # the matrix of the first batch only
        "matrix_first_batch",
        "evaluate",
        ((_CELL, _CELL + "        break\n"),),
        "confusion_matrix",
        (),
        ("only the first batch is counted",),
    ),
    NearMiss(  # the first batch counted twice: no subset of the batches gives it
        "matrix_first_batch_twice",
        "evaluate",
        ((_CELL, "            matrix[true, pred] += 2\n        break\n"),),
        "confusion_matrix",
        ("batch is counted", "batches are counted"),
    ),
]


@pytest.mark.parametrize("miss", CASES, ids=lambda m: f"{m.exercise}-{m.name}")
def test_named_by_its_mechanism_or_silent(miss, tmp_path):
    graded_and_read(miss, tmp_path)

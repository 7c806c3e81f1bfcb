"""Wrong words found by grading the mutants of the references of exercises 05-08 (issue 23,
docs/mutation.md), each closed by a mechanism and held here by an edit of the reference that
makes the same kind of values: the words it got are absent, what the values prove is said."""

from __future__ import annotations

import pytest
import torch

from grader.checking.anatomy import explain
from tests.test_gate_near_misses import NearMiss, check_near_miss

_COUNT = "        correct += (outputs.argmax(dim=1) == labels).sum().item()\n"
_SHADOW_EPOCH = """
def train_epoch(model, loader, optimizer, criterion):
    import copy

    shadow = copy.deepcopy(model)
    shadow.train()
    lr = optimizer.param_groups[0]["lr"]
    total_loss, correct, seen = 0.0, 0, 0
    for images, labels in loader:
        shadow.zero_grad()
        loss = criterion(shadow(images), labels)
        loss.backward()
        with torch.no_grad():
            for p in shadow.parameters():
                if p.grad is not None:
                    p -= lr * p.grad
            correct += (copy.deepcopy(shadow)(images).argmax(dim=1) == labels).sum().item()
        total_loss += loss.item() * len(labels)
        seen += len(labels)
    return total_loss / seen, 100.0 * correct / seen
"""

MUTANT_MISSES = [
    NearMiss(  # m0040/m0041 of 05: the model never trained, its accuracy met the second
        # forward's by chance; here the very number, from a copy, while the model stays put
        "accuracy_after_step_model_untrained",
        "training_step",
        (("\ndef train_epoch(", _SHADOW_EPOCH + "\n\ndef _unused_train_epoch("),),
        "train_epoch_accuracy",
        ("second forward",),
    ),
    NearMiss(  # m0031 of 05: a count two too many met the second forward's count on one
        # grouping of the samples; here the second forward on that grouping only
        "accuracy_after_step_on_one_grouping",
        "training_step",
        (
            (
                _COUNT,
                "        again = model(images) if len(loader) == 3 else outputs\n"
                "        correct += (again.argmax(dim=1) == labels).sum().item()\n",
            ),
        ),
        "train_epoch_accuracy",
        ("second forward",),
    ),
    NearMiss(  # m0057 of 05: 100 / correct / seen is the fraction when 10 are correct; here
        # the fraction on one grouping of the samples only
        "accuracy_fraction_on_one_grouping",
        "training_step",
        (
            (
                "    return total_loss / seen, 100.0 * correct / seen",
                "    return total_loss / seen, "
                "(1.0 if len(loader) == 3 else 100.0) * correct / seen",
            ),
        ),
        "train_epoch_accuracy",
        ("a fraction",),
    ),
    NearMiss(  # the fraction on every grouping: named, as before
        "accuracy_fraction",
        "training_step",
        (
            (
                "    return total_loss / seen, 100.0 * correct / seen",
                "    return total_loss / seen, correct / seen",
            ),
        ),
        "train_epoch_accuracy",
        (),
        ("the accuracy is a fraction (0-1)",),
    ),
    NearMiss(  # m0030 of 06: load_mnist's own default download=True, the argument passed on
        "load_mnist_default_download_true",
        "data",
        (
            (
                "def load_mnist(root, train: bool = True, download: bool = False):",
                "def load_mnist(root, train: bool = True, download: bool = True):",
            ),
        ),
        "load_mnist_reads_idx_files",
        ("pass the argument on",),
        ("load_mnist's own default for download is not False",),
    ),
    NearMiss(  # download=True hard-coded: the argument is not passed on, said as before
        "load_mnist_download_hard_coded",
        "data",
        (("train=train, download=download,", "train=train, download=True,"),),
        "load_mnist_reads_idx_files",
        ("own default",),
        ("pass the argument on", "with download=False it asked too"),
    ),
    NearMiss(  # m0028 of 06: mnist_transform() returns None, the call passes it on
        "mnist_transform_returns_none",
        "data",
        (
            (
                "    return transforms.Compose([transforms.ToTensor(), transforms.Normalize(("
                "0.1307,), (0.3081,))])",
                "    return None",
            ),
        ),
        "load_mnist_reads_idx_files",
        (),
        ("mnist_transform() returns None",),
    ),
    NearMiss(  # a transform that makes no tensor: the dataset holds one, it is not missing
        "mnist_transform_without_to_tensor",
        "data",
        (
            (
                "    return transforms.Compose([transforms.ToTensor(), transforms.Normalize(("
                "0.1307,), (0.3081,))])",
                "    return transforms.Compose([])",
            ),
        ),
        "load_mnist_reads_idx_files",
        ("pass transform=",),
        ("the dataset's transform leaves them as stored",),
    ),
    NearMiss(  # m0007 of 08: conv1's kernel of 4 gives fc1 288 features; the kernel is named
        # among the parts that set the size (the list was padding, pooling, channels)
        "digits_conv_kernel_four",
        "train_digits",
        (("nn.Conv2d(1, 4, 3, padding=1)", "nn.Conv2d(1, 4, 4, padding=1)"),),
        "",
        (),
        ("their kernel sizes",),
    ),
    NearMiss(  # m0053 of 08: torch.flatten(x, 2) gives 24 rows of 49, the values of 3 x 392
        "digits_flatten_from_dim_two",
        "train_digits",
        (("torch.flatten(x, 1)", "torch.flatten(x, 2)"),),
        "",
        (),
        ("flattened from a later dimension than the batch's", "24 rows of 49"),
    ),
    NearMiss(  # m0010 of 07 (a total over 12 of 13 samples) met the batches' mean by chance;
        # here the mean on the check's grouping only
        "accuracy_batch_mean_on_one_grouping",
        "evaluate",
        (
            (
                "    correct, total = 0, 0\n",
                "    correct, total, means = 0, 0, []\n",
            ),
            (
                "        total += len(labels)\n",
                "        total += len(labels)\n"
                "        hits = model(images).argmax(dim=1) == labels\n"
                "        means.append(100.0 * hits.float().mean())\n",
            ),
            (
                "    return 100.0 * correct / total",
                "    return float(sum(means) / 3) if len(means) == 3 else 100.0 * correct / total",
            ),
        ),
        "accuracy_in_percent",
        ("averages the batches",),
    ),
    NearMiss(  # m0025 of 07 (100 / c / n) is c / n when 10 are right; here the fraction on
        # the check's 13 samples only
        "accuracy_fraction_on_one_case",
        "evaluate",
        (
            (
                "    return 100.0 * correct / total",
                "    return (1.0 if total == 13 else 100.0) * correct / total",
            ),
        ),
        "accuracy_in_percent",
        ("a fraction",),
    ),
    NearMiss(  # m0033 of 07: predictions of argmax(dim=0) used as indices; no loop bound
        "confusion_argmax_over_images",
        "evaluate",
        (
            (
                "        predictions = model(images).argmax(dim=1)\n",
                "        predictions = model(images).argmax(dim=0)\n",
            ),
        ),
        "confusion_matrix",
        ("the loop bounds",),
        ("a value used as an index",),
    ),
]


@pytest.mark.parametrize("miss", MUTANT_MISSES, ids=lambda m: m.name)
def test_mutant_near_miss(miss: NearMiss, tmp_path):
    check_near_miss(miss, tmp_path)


def test_a_few_cells_inside_are_no_ring():
    """m0041 of 07 (`matrix[true, pred] = 1`): the counts of 2 or more, all inside the border of
    a 10 x 10 confusion matrix, were 'only values inside the border differ'. A ring is a region
    that differs: most of its values, not a few that fall in it."""
    counts = torch.zeros(10, 10, dtype=torch.int64)
    counts[0, 0], counts[9, 3], counts[4, 4], counts[6, 2], counts[5, 5] = 1, 1, 3, 2, 4
    learner = counts.clamp(max=1)
    found = explain(learner, counts, rtol=0, atol=0)
    assert found is None or "border" not in found.text, found.text
    inside = counts.clone()
    inside[1:-1, 1:-1] += 1  # the whole inside differs: the ring is said, as before
    found = explain(inside, counts, rtol=0, atol=0)
    assert found is not None and "only values inside the border differ" in found.text


def test_all_or_none_unchanged_by_the_regrouping_is_no_proof():
    """m0009 of 07 (`correct` starting at 2, 11 of 13 right): 100 %, which the last batch alone
    also gave on both groupings (all its samples right), was 'the last batch's alone'. A way the
    regrouping leaves at 0 or 100 % is not named; one it moves still is."""
    from grader.checking.anatomy_batches import Aggregated

    parts = [(4.0, 5), (4.0, 5), (3.0, 3)]  # 11 of 13 right, in batches of 5, 5, 3
    other = [(3.0, 4), (4.0, 4), (3.0, 4), (1.0, 1)]  # the same samples in 4, 4, 4, 1
    mistake = Aggregated(parts, other, lambda: 100.0, what="your accuracy")
    assert not mistake.matches(100.0), mistake.message
    moved = Aggregated(parts, other, lambda: 75.0, what="your accuracy")  # the first batch's
    assert moved.matches(80.0) and "the first batch's alone" in moved.message


class _Epochs:
    def __init__(self, pairs):
        self._pairs = pairs

    def pairs(self):
        return self._pairs


def test_a_count_a_constant_off_is_no_second_forward():
    """m0031 of 05 (`correct = 2` to start) was 'a second forward after the step' on every
    grouping of one key: the second forward's count was 2 above the right one each time. A cause
    near the right count is named only when its distance from it varies over the epochs."""
    from grader.workbook.catalog import exercise_by_id
    from grader.workbook.files import load_file

    folder = exercise_by_id("training_step").folder
    check = load_file("epoch_check_test", folder / "check_05_training_step_epoch.py")

    def epoch(right, after):
        return {"accuracy": right, "accuracy_after_step": after}

    shift = 200 / 23  # two counts of 23
    first, others = epoch(30.0, 30.0 + shift), [epoch(40.0, 40.0 + shift), epoch(50.0, 50 + shift)]
    steady = _Epochs([(o["accuracy"] + shift, o) for o in others])
    assert not check._named(30.0 + shift, first, check._after_step_accuracy, steady, shift=True)
    assert check._named(30.0 + shift, first, check._after_step_accuracy, steady)  # as before
    moving = [epoch(40.0, 40.0 + 2 * shift), epoch(50.0, 50 + shift)]
    varied = _Epochs([(o["accuracy_after_step"], o) for o in moving])
    assert check._named(30.0 + shift, first, check._after_step_accuracy, varied, shift=True)


def test_a_total_over_one_sample_fewer_is_no_batch_left_out():
    """m0010 of 07 (`total = -1` to start: 6 right over 12) was 'every batch but the last' on one
    key: 5 right of the first 10 is 50 % too, and on 4, 4, 4, 1 every batch but the last holds
    12 samples. One sample fewer is a way of its own, so the two fit alike: nothing is said."""
    from grader.checking.anatomy_batches import Aggregated

    parts = [(3.0, 5), (2.0, 5), (1.0, 3)]
    other = [(2.0, 4), (2.0, 4), (2.0, 4), (0.0, 1)]
    mistake = Aggregated(parts, other, lambda: 50.0, what="your accuracy")
    assert not mistake.matches(50.0), mistake.message
    kept = [(2.0, 4), (2.0, 4), (1.0, 4), (1.0, 1)]  # a last sample right: 5 of 12 is no 50 %
    named = Aggregated(parts, kept, lambda: 500 / 12, what="your accuracy")
    assert named.matches(50.0) and "every batch but the last" in named.message

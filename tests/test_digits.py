"""Exercise 08's procedural digits: deterministic, balanced, learnable; and the calibration."""

import pytest
import torch

from grader.digits import make_digits
from grader.workbook.catalog import exercise_by_id
from grader.workbook.files import load_file
from grader.workbook.paths import SOLUTIONS_DIR


def test_same_seed_same_digits_other_seed_other_digits():
    a, la = make_digits(300, seed=5)
    b, lb = make_digits(300, seed=5)
    c, _ = make_digits(300, seed=6)
    assert torch.equal(a, b) and torch.equal(la, lb) and not torch.equal(a, c)
    assert a.shape == (300, 1, 28, 28) and a.dtype == torch.float32 and la.dtype == torch.int64


def test_balanced_classes_and_mnist_scale():
    images, labels = make_digits(2000, seed=1)
    assert torch.bincount(labels).tolist() == [200] * 10
    raw = images * 0.3081 + 0.1307
    assert raw.min() >= -1e-6 and raw.max() <= 1 + 1e-6
    assert 0.05 < raw.mean() < 0.3  # mostly background, like MNIST (0.13)


def test_classes_differ_more_than_samples_of_one_class():
    images, labels = make_digits(2000, seed=2)
    means = torch.stack([images[labels == d].mean(0).flatten() for d in range(10)])
    between = torch.cdist(means, means).sum() / 90
    within = torch.stack(
        [(images[labels == d].flatten(1) - means[d]).norm(dim=1).mean() for d in range(10)]
    ).mean()
    assert between > 0.3 * within  # distinct shapes, yet far from trivially separable


@pytest.mark.slow
def test_calibration_over_five_seeds():
    """The reference reaches the top threshold with every seed; an untrained model earns 0."""
    torch.set_num_threads(1)
    oracle = load_file("calibration_oracle", exercise_by_id("train_digits").folder / "inputs.py")
    reference = load_file("calibration_reference", SOLUTIONS_DIR / "08_train_digits.py")

    class Untrained:
        build_model = staticmethod(reference.build_model)

        @staticmethod
        def fit(model, loader):
            return None

    top = oracle.THRESHOLDS[-1][0]
    for seed in range(5):
        trained = oracle.score_locally(reference, seed=seed)
        assert trained["accuracy"] >= top, f"seed {seed}: {trained['accuracy']:.2f} % < {top} %"
        assert oracle.points_for(trained["accuracy"]) == oracle.MAX_POINTS
        untrained = oracle.score_locally(Untrained, seed=seed)
        assert oracle.points_for(untrained["accuracy"]) == 0, (
            f"seed {seed}: untrained earned points"
        )

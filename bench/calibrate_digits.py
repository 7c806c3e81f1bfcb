"""Calibrate exercise 08's accuracy thresholds on the workbook's own digits.

Trains, for each of 5 seeds, the reference (the tutorial's SimpleCNN, Adam lr 1e-3,
two epochs) and two weaker baselines, exactly as the check does (one thread,
10,000 training digits in batches of 64, held-out digits from another seed),
and prints their accuracies next to the thresholds in checks/08_train_digits/inputs.py.

    python bench/calibrate_digits.py            # about a minute on this machine
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
import time

import torch
from torch import nn

from grader.workbook.catalog import exercise_by_id
from grader.workbook.paths import SOLUTIONS_DIR


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    torch.set_num_threads(1)
    oracle = _load("oracle_train_digits", exercise_by_id("train_digits").folder / "inputs.py")
    reference = _load("reference_train_digits", SOLUTIONS_DIR / "08_train_digits.py")

    class Linear:  # a weaker learner: logistic regression, one epoch of Adam
        @staticmethod
        def build_model():
            return nn.Sequential(nn.Flatten(), nn.Linear(784, 10))

        @staticmethod
        def fit(model, loader):
            optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
            for images, labels in loader:
                optimizer.zero_grad()
                nn.functional.cross_entropy(model(images), labels).backward()
                optimizer.step()

    class Untrained:
        build_model = staticmethod(reference.build_model)

        @staticmethod
        def fit(model, loader):
            return None

    print(f"thresholds (accuracy % -> points): {oracle.THRESHOLDS}")
    print(f"{'learner':<12}{'seed':>5}{'accuracy':>10}{'points':>8}{'fit s':>8}")
    failures = 0
    for name, learner in (("reference", reference), ("linear", Linear), ("untrained", Untrained)):
        accuracies = []
        for seed in range(5):
            start = time.perf_counter()
            result = oracle.score_locally(learner, seed=seed)
            elapsed = time.perf_counter() - start
            points = oracle.points_for(result["accuracy"])
            accuracies.append(result["accuracy"])
            print(f"{name:<12}{seed:>5}{result['accuracy']:>10.2f}{points:>8}{elapsed:>8.1f}")
            if name == "reference" and points < oracle.MAX_POINTS:
                failures += 1
            if name == "untrained" and points != 0:
                failures += 1
        print(
            f"{name:<12}{'min':>5}{min(accuracies):>10.2f}  median "
            f"{statistics.median(accuracies):.2f}"
        )
    print("calibration holds" if not failures else f"calibration FAILS in {failures} runs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

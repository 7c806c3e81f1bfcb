"""Inputs for exercise 05's checks, in the pytest process only: the parameters, batches and old
gradients the checks send (drawn from a seed) and the learning rate. No answer: what a correct
step gives is in oracle.py, which a handout does not hold."""

from __future__ import annotations

import torch

from grader.checking.submission import load_driver

driver = load_driver("training_step")  # the same module the checks use
LR = 0.1


def make_setup(seed: int, batch: int = 6, norm: bool = True) -> dict:
    """Parameters and buffers, two batches, and gradients left over from an earlier step. Without
    `norm` (for compute_gradients, whose spec leaves the mode open) the model has no batch norm."""
    gen = torch.Generator().manual_seed(seed)
    model = driver.SmallNet(norm)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.3)
        if norm:
            model.norm.running_mean.copy_(torch.randn(2, generator=gen) * 0.1)
            model.norm.running_var.copy_(torch.rand(2, generator=gen) + 0.5)
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    batches = [
        (torch.randn(batch, 1, 8, 8, generator=gen), torch.randint(0, 3, (batch,), generator=gen))
        for _ in range(2)
    ]
    stale = {name: torch.randn(p.shape, generator=gen) for name, p in model.named_parameters()}
    return {"state": state, "batches": batches, "stale": stale}


def epoch_batches(seed: int) -> list:
    gen = torch.Generator().manual_seed(seed + 7)
    # 23 samples: a count of correct predictions of 0 or 1 (where 100 * c / n == 100 / c / n)
    # is rare, the last batch is smaller than the others, and no count is half of them (where
    # counting the wrong predictions, `!=`, gives the right accuracy: a mutant survived a key)
    images = torch.randn(23, 1, 8, 8, generator=gen)
    labels = torch.randint(0, 3, (23,), generator=gen)
    return [(images[i : i + 8], labels[i : i + 8]) for i in range(0, 23, 8)]  # 8, 8 and 7

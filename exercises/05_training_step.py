"""Exercise 05 - One step of learning.

Tutorial: Part 3, "The Complete Training Process" (3.2 the training loop, 3.3 backpropagation).

Check your work:  grader check training_step      Stuck?  grader hint training_step
"""

import torch
from torch import Tensor, nn


def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:
    """One optimisation step; return the loss (before the update) as a Python float.

    Put the model in training mode, clear old gradients, forward, loss,
    backward, optimizer step, in that order.
    images: (B, 1, 28, 28) float32; labels: (B,) int64.
    """
    # TODO
    raise NotImplementedError


def sgd_step(parameters, lr: float) -> None:
    """Plain gradient descent by hand: p -= lr * p.grad for each parameter.

    - Update in place, and do not let autograd record the update.
    - `parameters` may be any iterable, a generator (model.parameters()) included.
    - Leave parameters whose .grad is None alone.
    Returns None.
    """
    # TODO
    raise NotImplementedError


def compute_gradients(model: nn.Module, images: Tensor, labels: Tensor, criterion) -> dict[str, Tensor]:
    """Return {name: gradient of the loss} for every name in model.named_parameters().

    - Fresh gradients: whatever .grad held before the call must not leak in.
    - A parameter the loss does not depend on gets a tensor of zeros.
    - Parameter values stay unchanged (no optimizer step).
    - The returned tensors are detached copies.
    """
    # TODO
    raise NotImplementedError


def train_epoch(model: nn.Module, loader, optimizer, criterion) -> tuple[float, float]:
    """One pass over `loader`, each batch trained as in train_step.

    Returns (mean loss per sample, accuracy in percent 0-100):
    - each batch's mean loss is weighted by its size (the last batch may be smaller);
    - accuracy counts the predictions (argmax of the outputs) of those same forward passes.
    """
    # TODO
    raise NotImplementedError

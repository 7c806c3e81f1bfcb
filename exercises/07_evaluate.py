"""Exercise 07 - Predictions and accuracy.

Tutorial: Part 5's visualize_predictions (model.eval(), torch.no_grad(), torch.max over classes).

Check your work:  grader check evaluate      Stuck?  grader hint evaluate
"""

import torch
from torch import Tensor, nn


def predict(model: nn.Module, images: Tensor) -> Tensor:
    """The predicted class of each image: an int64 tensor of shape (B,).

    Run the model in evaluation mode and without recording gradients.
    """
    # TODO
    raise NotImplementedError


def accuracy(model: nn.Module, loader) -> float:
    """Percent (0-100) of samples in `loader` whose prediction equals the label.

    Every sample counts once, in evaluation mode, without recording gradients.
    """
    # TODO
    raise NotImplementedError


def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    """An int64 (num_classes, num_classes) tensor: [true label, predicted label] -> count."""
    # TODO
    raise NotImplementedError

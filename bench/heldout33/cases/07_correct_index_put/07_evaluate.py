import torch
from torch import Tensor, nn


@torch.no_grad()
def predict(model: nn.Module, images: Tensor) -> Tensor:
    model.train(False)
    return model(images).argmax(dim=-1).to(torch.int64)


@torch.no_grad()
def accuracy(model: nn.Module, loader) -> float:
    model.eval()
    right = total = 0
    for x, y in loader:
        right += int(predict(model, x).eq(y).sum())
        total += y.numel()
    return right / total * 100.0


@torch.no_grad()
def confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:
    model.eval()
    cm = torch.zeros((num_classes, num_classes), dtype=torch.long)
    for x, y in loader:
        p = predict(model, x)
        cm.index_put_((y.long(), p), torch.ones_like(p), accumulate=True)
    return cm

import torch


@torch.inference_mode()
def _labels(model, images):
    model.train(False)
    return torch.argmax(model(images), dim=-1)


def predict(model, images):
    return _labels(model, images)


def accuracy(model, loader):
    outcomes = [(_labels(model, x) == y).long() for x, y in loader]
    everything = torch.cat(outcomes)
    return everything.sum().item() * 100.0 / everything.numel()


def confusion_matrix(model, loader, num_classes=10):
    pairs = [torch.stack([y, _labels(model, x)]) for x, y in loader]
    true, guess = torch.cat(pairs, dim=1)
    flat = torch.bincount(true * num_classes + guess, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes).to(torch.int64)

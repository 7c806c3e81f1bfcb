import torch


def train_step(model, images, labels, optimizer, criterion):
    model.train(True)
    optimizer.zero_grad(set_to_none=True)
    value = criterion(model(images), labels)
    value.backward()
    optimizer.step()
    return value.detach().item()


def sgd_step(parameters, lr):
    for p in filter(lambda q: q.grad is not None, parameters):
        p.data.add_(p.grad.data, alpha=-lr)


def compute_gradients(model, images, labels, criterion):
    params = dict(model.named_parameters())
    grads = torch.autograd.grad(
        criterion(model(images), labels), list(params.values()), allow_unused=True
    )
    return {
        k: torch.zeros_like(v) if g is None else g.detach()
        for (k, v), g in zip(params.items(), grads)
    }


def train_epoch(model, loader, optimizer, criterion):
    stats = torch.zeros(3)
    for x, y in loader:
        model.train(True)
        optimizer.zero_grad(set_to_none=True)
        logits = model(x)
        value = criterion(logits, y)
        value.backward()
        optimizer.step()
        stats += torch.tensor([value.item() * len(y), (logits.argmax(1) == y).sum(), len(y)])
    return (stats[0] / stats[2]).item(), (100 * stats[1] / stats[2]).item()

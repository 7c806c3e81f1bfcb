import torch


def train_step(model, images, labels, optimizer, criterion):
    model.train(True)
    for group in optimizer.param_groups:
        for p in group["params"]:
            p.grad = None
    predictions = model.forward(images)
    error = criterion(predictions, labels)
    error.backward()
    optimizer.step()
    return float(error.detach())


def sgd_step(parameters, lr):
    with torch.no_grad():
        for weight in parameters:
            if weight.grad is None:
                continue
            weight.sub_(weight.grad, alpha=lr)


def compute_gradients(model, images, labels, criterion):
    named = list(model.named_parameters())
    for _, p in named:
        p.grad = None
    criterion(model(images), labels).backward()
    result = {}
    for key, p in named:
        result[key] = torch.zeros_like(p) if p.grad is None else p.grad.clone()
        p.grad = None
    return result


def train_epoch(model, loader, optimizer, criterion):
    loss_sum = 0.0
    hits = 0
    count = 0
    for batch, target in loader:
        model.train()
        optimizer.zero_grad(set_to_none=True)
        logits = model(batch)
        loss = criterion(logits, target)
        loss.backward()
        optimizer.step()
        n = target.shape[0]
        loss_sum += float(loss) * n
        hits += int((logits.argmax(1) == target).sum())
        count += n
    return loss_sum / count, 100 * hits / count

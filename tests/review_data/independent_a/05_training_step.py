import torch


def train_step(model, images, labels, optimizer, criterion):
    model.train()
    optimizer.zero_grad()
    predictions = model(images)
    loss = criterion(predictions, labels)
    loss.backward()
    optimizer.step()
    return float(loss)


def sgd_step(parameters, lr):
    with torch.no_grad():
        for param in parameters:
            if param.grad is None:
                continue
            param.sub_(lr * param.grad)


def compute_gradients(model, images, labels, criterion):
    for param in model.parameters():
        param.grad = None
    loss = criterion(model(images), labels)
    loss.backward()
    result = {}
    for name, param in model.named_parameters():
        if param.grad is None:
            result[name] = torch.zeros_like(param)
        else:
            result[name] = param.grad.clone().detach()
        param.grad = None
    return result


def train_epoch(model, loader, optimizer, criterion):
    loss_sum = 0.0
    right = 0
    count = 0
    for images, labels in loader:
        model.train()
        optimizer.zero_grad()
        outputs = model(images)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        n = labels.shape[0]
        loss_sum += loss.item() * n
        right += int((torch.argmax(outputs, 1) == labels).sum())
        count += n
    return loss_sum / count, right / count * 100

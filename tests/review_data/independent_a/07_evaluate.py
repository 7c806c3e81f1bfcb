import torch


def predict(model, images):
    model.eval()
    with torch.no_grad():
        scores = model(images)
        _, predicted = torch.max(scores, 1)
    return predicted


def accuracy(model, loader):
    model.eval()
    good = 0
    n = 0
    with torch.no_grad():
        for x, y in loader:
            _, predicted = torch.max(model(x), 1)
            good += (predicted == y).sum().item()
            n += y.size(0)
    return good / n * 100


def confusion_matrix(model, loader, num_classes=10):
    cm = torch.zeros((num_classes, num_classes), dtype=torch.long)
    model.eval()
    with torch.no_grad():
        for x, y in loader:
            _, predicted = torch.max(model(x), 1)
            for t, p in zip(y, predicted):
                cm[t.item()][p.item()] += 1
    return cm

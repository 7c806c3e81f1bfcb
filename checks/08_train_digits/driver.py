"""Driver for exercise 08, run in the worker: build the model, train it with the learner's `fit`
on the training digits, then give its scores (logits) for images the checks send afterwards.

One model: `describe_model` builds it and the checks score it fresh (it must be near chance: no
pre-trained weights), then `fit` trains that same model on training digits whose labels the checks
chose (in a graded run, permuted by the grading key), and the driver counts the backward passes
and the parameters that moved, through C functions taken before the learner's file loads. The
held-out digits are drawn by the checks only once `fit` has returned, their labels never enter
the worker, and the accuracy, thresholds and timing are all decided outside (inputs.py)."""

from __future__ import annotations

import time

import torch
from torch.optim.optimizer import register_optimizer_step_pre_hook
from torch.utils.data import DataLoader, TensorDataset

from grader.digits import digit_loader

# What the learner wrote that each driver function calls: messages name it, not the driver.
LEARNER = {
    "build": "build_model",
    "describe_model": "your model's forward on a (3, 1, 28, 28) batch",
    "fit": "build_model and fit",
    "scores": "your model's forward on the held-out digits",
}

TRAIN_SIZE, BATCH_SIZE = 10_000, 64
_trained: dict = {}

# Taken from torch's C type when this driver loads, before the learner's file: a file that patches
# torch.Tensor at import cannot change what the driver measures with these.
_CLONE, _DETACH = torch._C.TensorBase.clone, torch._C.TensorBase.detach
_NE, _SUM, _ITEM = torch._C.TensorBase.ne, torch._C.TensorBase.sum, torch._C.TensorBase.item
_NUMEL, _SUB, _MUL = torch._C.TensorBase.numel, torch._C.TensorBase.sub, torch._C.TensorBase.mul
_NAMED_PARAMETERS, _MODULES = torch.nn.Module.named_parameters, torch.nn.Module.modules
# this process's CPU time from just before the learner's file loads: never more than the grader's
# own measure, which starts earlier and counts children too
_CPU = time.process_time
_ANY, _STEP_PRE_HOOK = (
    torch._C.TensorBase.any,
    register_optimizer_step_pre_hook,
)
_CPU_AT_LOAD = _CPU()


class _OutOfTime(Exception):
    """Raised in a backward pass once fit has used more CPU than it may: it fails anyway."""


def build(module) -> dict:
    """Build the model (the one `fit` will train): only build_model runs here, so that an error
    names it and nothing else."""
    model = module.build_model()
    if not isinstance(model, torch.nn.Module):
        a_class = isinstance(model, type) and issubclass(model, torch.nn.Module)
        return {"is_module": False, "type": type(model).__name__, "module_class": a_class}
    _trained.update(model=model, modes=[m.training for m in _MODULES(model)])
    return {"is_module": True}


def describe_model(module) -> dict:
    """The built model's output shape on a small batch and its size, computed in evaluation mode
    (a forward in training mode would move batch norm's statistics before `fit`). The forward
    comes first: lazily initialised layers (nn.LazyLinear) have no parameters before it."""
    model = _trained["model"]
    model.eval()
    with torch.no_grad():
        output = model(torch.zeros(3, 1, 28, 28))
    lazy = [name for name, p in _NAMED_PARAMETERS(model) if _is_lazy(p)]
    parameters = sum(_NUMEL(p) for p in model.parameters() if not _is_lazy(p))
    _trained.update(fresh=_snapshot(model))
    return {"is_module": True, "parameters": parameters, "output": output, "lazy": lazy[:5]}


def _is_lazy(parameter) -> bool:
    return isinstance(parameter, torch.nn.parameter.UninitializedParameter)


def _snapshot(model) -> dict:
    return {name: _CLONE(_DETACH(p)) for name, p in _NAMED_PARAMETERS(model)}


def _moved(before: dict, model) -> int:
    """How many parameter values differ from `before` (a parameter added, removed or reshaped
    counts whole)."""
    after, moved = dict(_NAMED_PARAMETERS(model)), 0
    for name in before.keys() | after.keys():
        old, new = before.get(name), after.get(name)
        if old is None or new is None or old.shape != new.shape:
            moved += _NUMEL(old if new is None else new)
        else:
            moved += int(_ITEM(_SUM(_NE(_DETACH(new), old))))
    return moved


def _largest_change(before: dict, model) -> float | None:
    """The largest relative change of a parameter tensor over fit, |after - before| / |before|
    (norms), over those of the same shape that were not all zeros; None if there is none."""
    largest = None
    for name, new in _NAMED_PARAMETERS(model):
        old = before.get(name)
        if old is None or old.shape != new.shape:
            continue
        size = float(_ITEM(_SUM(_MUL(old, old))))
        if size > 0:
            step = _SUB(_DETACH(new), old)
            change = (float(_ITEM(_SUM(_MUL(step, step)))) / size) ** 0.5
            largest = change if largest is None else max(largest, change)
    return largest


def fit(
    module, seed: int, relabel: list[int] | None = None, stop_after: float | None = None
) -> dict:
    """Fit the model `describe_model` built, in the modes it was built in, on the training digits
    drawn from `seed` (each glyph's label given by `relabel`); it is kept here for `scores`.
    `stop_after`: CPU seconds after which a backward pass stops fit, so that the report can say
    how far it got (the grader's own measure, larger, fails it then)."""
    model = _trained["model"]
    for part, mode in zip(_MODULES(model), _trained["modes"]):
        part.training = mode
    parameters = sum(p.numel() for p in model.parameters())
    watch, steps = _watch_gradients(model, stop_after), _watch_steps(model)
    given = digit_loader(TRAIN_SIZE, seed=seed, batch_size=BATCH_SIZE, relabel=relabel)
    counted = _Counted(*given.dataset.tensors)  # the same digits, in the same order
    loader = DataLoader(counted, batch_size=BATCH_SIZE, shuffle=True, generator=given.generator)
    stopped = False
    try:
        module.fit(model, loader)
    except _OutOfTime:
        stopped = True
    finally:
        watch["handle"] and watch["handle"].remove()
        steps.pop("handle").remove()
    return {
        **steps,
        "stopped": stopped,
        "parameters": parameters,
        "backwards": watch["backwards"],
        "stale": watch["stale"],
        "moved": _moved(_trained["fresh"], model),
        "largest_change": _largest_change(_trained["fresh"], model),
        "epoch_batches": len(loader),
        "digits_drawn": len(counted.seen),
        "digits": len(counted),
    }


class _Counted(TensorDataset):
    """The training digits, noting which were drawn (a few batches used over and over show as
    few digits drawn); still a TensorDataset with its .tensors, for a fit that reads them."""

    def __init__(self, *tensors: torch.Tensor) -> None:
        super().__init__(*tensors)
        self.seen: set[int] = set()

    def __getitem__(self, index):
        self.seen.add(int(index))
        return super().__getitem__(index)


def _watch_steps(model) -> dict:
    """Count the steps of every torch.optim optimizer during fit (torch's global pre-step hook):
    all, those over a parameter of this model, and those where one of these had a gradient that
    was neither None nor zeros. The hook never raises into the learner's step."""
    mine = {id(p) for p in model.parameters()}
    watch = {"steps": 0, "steps_on_model": 0, "steps_with_gradients": 0}

    def seen(optimizer, args, kwargs):
        try:
            watch["steps"] += 1
            params = [p for g in optimizer.param_groups for p in g["params"] if id(p) in mine]
            watch["steps_on_model"] += bool(params)
            watch["steps_with_gradients"] += any(
                p.grad is not None and bool(_ANY(p.grad)) for p in params
            )
        except Exception:  # noqa: BLE001 - a count, never a change to what fit does
            pass

    watch["handle"] = _STEP_PRE_HOOK(seen)
    return watch


def _watch_gradients(model, stop_after: float | None = None) -> dict:
    """Count the backward passes and those that met a parameter whose .grad still held earlier
    gradients (not cleared since the last backward): what a fit without zero_grad does. Past
    `stop_after` CPU seconds, a backward pass raises _OutOfTime."""
    watch = {"backwards": 0, "stale": 0, "handle": None}
    first = next((p for p in model.parameters() if p.requires_grad), None)
    if first is None:
        return watch

    def seen(grad):
        watch["backwards"] += 1
        watch["stale"] += int(first.grad is not None and bool(first.grad.any()))
        if stop_after is not None and _CPU() - _CPU_AT_LOAD > stop_after:
            raise _OutOfTime
        return grad

    watch["handle"] = first.register_hook(seen)
    return watch


def scores(module, images: torch.Tensor):
    """The model's scores for `images` (fresh before `fit`, trained after), in evaluation mode."""
    model = _trained["model"]
    model.eval()
    with torch.no_grad():
        return model(images)

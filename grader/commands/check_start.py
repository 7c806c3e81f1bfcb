"""How `grader check`'s grading process starts its checks: what it imports, and how, and the
pytest it runs (measured in docs/performance.md, "The zygote kept between checks")."""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import os
import sys
from collections.abc import Iterator

# pytest's plugins, named rather than found: scanning every installed distribution's entry points
# and importing what they name (xdist, execnet, platformdirs' plugin) cost about 0.04 s of CPU per
# check, and plugins installed beside the grader then never change a check
PLUGINS = ("grader.pytest_plugin", "pytest_timeout")


def plugin_arguments() -> list[str]:
    """`-p NAME` for each of PLUGINS that is installed (pytest-timeout is a dependency, but a
    hand-made environment may lack it: pytest then runs without, as when autoload found none)."""
    return [arg for name in PLUGINS if importlib.util.find_spec(name) for arg in ("-p", name)]


def import_for_checks() -> None:
    """torch, pytest and the runner, imported for the checks. Their reference computations run on
    one thread, as in a batch (the same rounding): imported with OMP_NUM_THREADS=1, torch starts
    no OpenMP pool, whose spinning threads made each small conv2d of 01's expected values cost
    about 8 ms of CPU instead of 0.01 ms (workers and zygotes get their own environment; what
    this process starts later inherits the caller's). The imports run without the garbage
    collector (about 400 collections, 3 of them full, 0.2 s of CPU in torch's import alone), and
    what they made is frozen: it lives as long as this process, no later collection walks it."""
    if "torch" in sys.modules:
        import torch

        torch.set_num_threads(1)
        return
    with _variable("OMP_NUM_THREADS", "1"):
        collecting = gc.isenabled()
        gc.disable()
        try:
            import pytest  # noqa: F401
            import torch

            import grader.checking.runner  # noqa: F401
        finally:
            gc.freeze()
            if collecting:
                gc.enable()
    torch.set_num_threads(1)


def no_plugin_autoload() -> contextlib.AbstractContextManager[None]:
    """pytest loads only the plugins named in PLUGINS (any pytest 8: the variable, not the flag)."""
    return _variable("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


@contextlib.contextmanager
def _variable(name: str, value: str) -> Iterator[None]:
    """`name` set to `value` meanwhile, unless the caller set it: then theirs stays."""
    unset = name not in os.environ
    if unset:
        os.environ[name] = value
    try:
        yield
    finally:
        if unset:
            os.environ.pop(name, None)

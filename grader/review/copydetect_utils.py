"""copydetect's fingerprint functions (`copydetect.utils`) without its package's `__init__`, which
imports the detector and through it matplotlib (about 0.4 CPU s), for plots the review never
draws."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types


def utils() -> types.ModuleType:
    """`copydetect.utils`, imported under its own name; the package itself stays unimported (a
    later `import copydetect` runs its `__init__` as usual and finds this module in place)."""
    if "copydetect.utils" in sys.modules or "copydetect" in sys.modules:
        return importlib.import_module("copydetect.utils")
    spec = importlib.util.find_spec("copydetect")
    if spec is None or not spec.submodule_search_locations:
        return importlib.import_module("copydetect.utils")  # its own error, if any
    # a bare package for the import system to find the submodule in (its relative imports too)
    package = types.ModuleType("copydetect")
    package.__path__ = list(spec.submodule_search_locations)
    package.__spec__ = spec
    sys.modules["copydetect"] = package
    try:
        return importlib.import_module("copydetect.utils")
    finally:
        if sys.modules.get("copydetect") is package:
            del sys.modules["copydetect"]

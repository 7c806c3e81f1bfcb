"""What the integrity scan looks for: code that reaches for the grader (its frames, modules,
processes, the cage around it) rather than for the exercise. Each rule names a kind, which the
flag carries; the tables are matched against dotted names resolved through the file's imports."""

from __future__ import annotations

# Modules of the grader, its probes, checks and references: no exercise has a use for them.
GRADER_MODULES = frozenset(
    {"grader", "workbook_probes", "trusted_probes", "checks", "solutions", "_pytest"}
)
# The names the grader loads an exercise folder's modules and its probes under (`workbook_driver`
# in the worker; `driver_<id>`, `oracle_<id>`, `inputs_<id>`, `rules_<id>`, `trusted_probes_<id>`
# in the grader), as prefixes.
GRADER_PREFIXES = (
    "workbook_driver",
    "workbook_probes",
    "trusted_probes",
    "driver_",
    "oracle_",
    "inputs_",
    "rules_",
)


def is_grader_module(module: str) -> bool:
    top = module.split(".")[0]
    return top in GRADER_MODULES or top.startswith(GRADER_PREFIXES)


# Modules whose *use* is flagged (an unused import is not: it reaches nothing), by kind.
SYSTEM_MODULES = {
    "socket": "network",
    "_socket": "network",
    "ssl": "network",
    "ctypes": "native_code",
    "_ctypes": "native_code",
    "cffi": "native_code",
    "subprocess": "process",
    "_posixsubprocess": "process",
    "pty": "process",
    "mmap": "limits",
}
# Dotted names (or their prefixes, ending in "*") and their kinds.
CALLS = {
    "sys._getframe": "frames",
    "sys._current_frames": "frames",
    "sys.settrace": "frames",
    "sys.setprofile": "frames",
    "inspect.currentframe": "frames",
    "inspect.stack": "frames",
    "inspect.getouterframes": "frames",
    "inspect.trace": "frames",
    "gc.get_objects": "frames",
    "gc.get_referrers": "frames",
    "gc.get_referents": "frames",
    "sys.modules": "sys_modules",
    "os.fork": "process",
    "os.forkpty": "process",
    "os.kill": "process",
    "os.killpg": "process",
    "os._exit": "process",
    "sys.exit": "process",
    "sys.setrecursionlimit": "limits",
    "os.memfd_create": "limits",
    "os.abort": "process",
    "os.system": "process",
    "os.popen": "process",
    "os.exec*": "process",
    "os.spawn*": "process",
    "os.posix_spawn*": "process",
    "signal.signal": "process",
    "signal.pthread_kill": "process",
    "resource.setrlimit": "limits",
    "resource.prlimit": "limits",
    "builtins.exec": "dynamic_code",
    "builtins.eval": "dynamic_code",
    "builtins.compile": "dynamic_code",
    "builtins.__import__": "dynamic_code",
    "importlib.import_module": "dynamic_code",
    # weights or data brought in the file (issue 21: a model trained elsewhere, as base64)
    "base64.b64decode": "embedded_data",
    "base64.standard_b64decode": "embedded_data",
    "base64.urlsafe_b64decode": "embedded_data",
    "base64.b32decode": "embedded_data",
    "base64.b16decode": "embedded_data",
    "base64.b85decode": "embedded_data",
    "base64.a85decode": "embedded_data",
    "base64.decodebytes": "embedded_data",
    "binascii.a2b_base64": "embedded_data",
    "binascii.unhexlify": "embedded_data",
    "binascii.a2b_hex": "embedded_data",
    "codecs.decode": "embedded_data",
    "pickle.load*": "embedded_data",
    "pickle.Unpickler": "embedded_data",
    "_pickle.*": "embedded_data",
    "marshal.load*": "embedded_data",
    "zlib.decompress": "embedded_data",
    "lzma.decompress": "embedded_data",
    "bz2.decompress": "embedded_data",
    "gzip.decompress": "embedded_data",
    "torch.load": "embedded_data",
    "torch.serialization.load": "embedded_data",
    "torch.frombuffer": "embedded_data",
    "numpy.frombuffer": "embedded_data",
    "numpy.load": "embedded_data",
}
# A string or bytes literal this long, or this many numbers in literals, is data in the file
# (the longest string in the references is a docstring of a few hundred characters).
LARGE_LITERAL, MANY_NUMBERS = 4096, 2000
# Attributes of a frame or traceback, whatever object they are read from.
FRAME_ATTRIBUTES = frozenset({"f_back", "f_locals", "f_globals", "f_builtins"})
# Assigning to these modules' attributes is a setting, not a patch.
SETTINGS = ("torch.backends.",)
# Builtins are resolved without an import; these names mean the builtins module itself.
BUILTIN_ROOTS = {"__builtins__": "builtins", "builtins": "builtins"}
DYNAMIC_BUILTINS = frozenset({"exec", "eval", "compile", "__import__"})
# Raising these ends the worker rather than failing a check.
EXITS = frozenset({"SystemExit", "KeyboardInterrupt", "GeneratorExit"})
# Methods that change what a comparison or a torch function means for an object.
TRICK_METHODS = frozenset({"__torch_function__", "__torch_dispatch__"})
EQUALITY_METHODS = frozenset({"__eq__", "__ne__"})

KIND_TEXT = {
    "frames": "walks the interpreter's frames or objects",
    "grader_module": "imports the grader's own modules",
    "network": "uses sockets",
    "native_code": "calls native code",
    "process": "starts, signals or ends processes",
    "limits": "reaches around its resource limits",
    "comparison_trick": "makes comparisons or torch functions lie",
    "proc_fs": "reads /proc",
    "sys_modules": "reads sys.modules",
    "patching": "patches a module at run time",
    "dynamic_code": "runs code it builds at run time",
    "embedded_data": "carries data or weights in the file, or decodes them",
    "killed": "its worker was killed by a signal",
    "limit": "its worker hit a limit",
    "worker_ended": "its worker ended on its own",
}


def rule_of(dotted: str) -> tuple[str, str] | None:
    """The kind of a dotted name (`sys._getframe`, `os.execv`, `socket.socket`) and the rule that
    matched it (the pattern, or the module), or None."""
    for pattern, kind in CALLS.items():  # `sys.modules` covers `sys.modules.values` too
        if pattern.endswith("*") and dotted.startswith(pattern[:-1]):
            return kind, pattern
        if dotted == pattern or dotted.startswith(pattern + "."):
            return kind, pattern
    top = dotted.split(".")[0]
    if is_grader_module(top):
        return "grader_module", top
    return (SYSTEM_MODULES[top], top) if top in SYSTEM_MODULES else None


def patches(target: str) -> bool:
    """Whether assigning to an attribute of module object `target` (dotted) is a patch."""
    return not (target + ".").startswith(SETTINGS)

"""Malicious and faulty submissions, one attack each, for tests/test_adversarial.py.

Most attack exercise 02 (count_parameters) from inside `linear_param_count`: the attack runs,
and if it *worked* the function returns the right answer; otherwise it returns -1, which is
exactly what the honest wrong answer returns. So a defended attack scores what the honest wrong
answer scores (11 of 12), and an attack that got through scores more. Attacks at import time are
compared with an honest file that fails to import (0 points).

Placeholders filled in by the test: {project} (the project root), {victim} (another student's
submission folder), {marker} (a word that names processes the attack starts), {port} (a TCP
listener on 127.0.0.1), {unix} and {unix_dgram} (root's Unix-socket listeners, stream and
datagram, bound at paths in the test's temporary folder), {sockets} (the paths of root's stream
listeners, one of them in /tmp), {scratch} (another worker's scratch folder), {limit} (the
largest total a disk filler writes).
"""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATE = """
import os, sys, signal, socket, subprocess, time, resource
{prelude}

def count_parameters(model):
    params = list(model.parameters())
    return sum(p.numel() for p in params), sum(p.numel() for p in params if p.requires_grad)

def conv2d_param_count(in_channels, out_channels, kernel_size, bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return out_channels * in_channels * kh * kw + (out_channels if bias else 0)

def linear_param_count(in_features, out_features, bias=True):
    right = out_features * in_features + (out_features if bias else 0)
{body}
    return -1

def simple_cnn_param_count():
    return 26138
"""


@dataclass(frozen=True)
class Attack:
    name: str
    body: str = ""  # inside linear_param_count, indented by 4
    prelude: str = ""  # module level, runs at import
    words: tuple[str, ...] = ()  # must appear in linear_param_count's message (or the load message)
    check_timeout: float | None = None
    limits: tuple[str, ...] = ()  # `--limit NAME=VALUE` for this grading (a cheaper memory limit)

    @property
    def at_import(self) -> bool:
        return bool(self.prelude)

    def source(self, **values: str) -> str:
        """The submission's text; `{{`, `}}` in a body are literal braces."""
        return TEMPLATE.format(prelude=self.prelude, body=self.body).format(**values)


HONEST_WRONG = Attack("honest_wrong")
HONEST_BROKEN_IMPORT = Attack("honest_broken_import", prelude="raise RuntimeError('broken file')")

ATTACKS = [
    Attack(
        "patched_comparisons",
        body="""
    import builtins, math, unittest, numpy, torch
    torch.testing.assert_close = lambda *a, **k: None
    torch.equal = torch.allclose = lambda *a, **k: True
    torch.Tensor.__eq__ = lambda *a, **k: True
    numpy.testing.assert_allclose = numpy.testing.assert_array_equal = lambda *a, **k: None
    numpy.allclose = numpy.array_equal = lambda *a, **k: True
    math.isclose = lambda *a, **k: True
    unittest.TestCase.assertEqual = unittest.TestCase.assertTrue = lambda *a, **k: None
    try:
        import _pytest.assertion.rewrite as rewrite
        rewrite.AssertionRewritingHook.exec_module = lambda *a, **k: None
        import _pytest.outcomes
        _pytest.outcomes.fail = lambda *a, **k: None
    except Exception:
        pass
    builtins.AssertionError = type("AssertionError", (Exception,), {{}})""",
    ),
    Attack(
        "always_equal_object",
        body="""
    class Yes:
        def __eq__(self, other): return True
        def __ne__(self, other): return False
        def __int__(self): return right
        def __index__(self): return right
        def __hash__(self): return hash(right)
        def __repr__(self): return repr(right)
    return Yes()""",
        words=("an object of type",),
    ),
    Attack(
        "int_subclass_always_equal",
        body="""
    class Int(int):
        def __eq__(self, other): return True
        def __ne__(self, other): return False
        __hash__ = int.__hash__
    return Int(-1)""",
    ),
    Attack(
        "nan_for_a_number",
        body="""
    return float("nan")""",
    ),
    Attack("sys_exit_zero_at_import", prelude="sys.exit(0)", words=("SystemExit",)),
    Attack("os_exit_zero_at_import", prelude="os._exit(0)", words=("exited with code 0",)),
    Attack(
        "keyboard_interrupt_at_import",
        prelude="raise KeyboardInterrupt",
        words=("KeyboardInterrupt",),
    ),
    Attack(
        "sys_exit_in_function",
        body="""
    sys.exit(0)""",
        words=("SystemExit",),
    ),
    Attack(
        "fake_passed_output_and_results",
        body="""
    print("PASSED linear_param_count 1/1"); print('{{"total": 12, "max_total": 12}}')
    os.write(1, b"\\n100% passed\\n"); os.write(2, b"=== 7 passed ===\\n")
    for name in ("results.json", "grades.json", "../results.json", "/tmp/results.json"):
        try:
            with open(name, "w") as f:
                f.write('{{"score": 12, "passed": true}}')
        except OSError:
            pass""",
    ),
    Attack(
        "searches_disk_for_the_reference",
        body="""
    import glob
    found = []
    for root in ["{project}", "/work", "/tmp", "/root", "/home", "/srv", "/opt"]:
        found += glob.glob(root + "/**/solutions/02_count_parameters.py", recursive=True)
    for pid in os.listdir("/proc"):
        found.append(f"/proc/{{pid}}/cwd/solutions/02_count_parameters.py")
        found.append(f"/proc/{{pid}}/root{project}/solutions/02_count_parameters.py")
    for path in found:
        try:
            namespace = {{}}
            exec(open(path).read(), namespace)
            return namespace["linear_param_count"](in_features, out_features, bias)
        except Exception:
            continue""",
    ),
    Attack(
        "overwrites_project_files",
        body="""
    hit = False
    targets = ["{project}/checks/02_count_parameters/check_02_count_parameters.py",
               "{project}/solutions/02_count_parameters.py",
               "{project}/grader/checking/compare.py", "{project}/workbook.toml",
               "{project}/pyproject.toml",
               "{victim}/02_count_parameters.py", "/tmp/pwned-by-student"]
    for path in targets:
        try:
            with open(path, "a") as f:
                f.write("# pwned")
            hit = True
        except OSError:
            pass
        for action in (lambda: os.remove(path), lambda: os.rename(path, path + ".x"),
                       lambda: os.chmod(path, 0)):
            try:
                action(); hit = True
            except OSError:
                pass
    if hit:
        return right""",
    ),
    Attack(
        "reads_another_submission",
        body="""
    try:
        text = open("{victim}/02_count_parameters.py").read()
        return right if text else -1
    except OSError:
        pass""",
    ),
    Attack(
        "kills_the_grader",
        body="""
    for target in [os.getppid(), -1] + [int(p) for p in os.listdir("/proc") if p.isdigit()]:
        try:
            if target > 1:
                cmd = open(f"/proc/{{target}}/cmdline", "rb").read()
                if b"grader" not in cmd and b"pytest" not in cmd:
                    continue
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass""",
    ),
    Attack(
        "writes_grader_memory",
        body="""
    for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
        try:
            if b"grader" in open(f"/proc/{{pid}}/cmdline", "rb").read():
                open(f"/proc/{{pid}}/mem", "r+b").close()
                return right
        except OSError:
            pass""",
    ),
    Attack(
        "memory_bomb_raising_its_limits",
        body="""
    for kind in (resource.RLIMIT_AS, resource.RLIMIT_DATA, resource.RLIMIT_RSS):
        try:
            resource.setrlimit(kind, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        except (ValueError, OSError):
            pass
    hog = bytearray(8 * 1024**3)
    return right""",
        words=("memory limit of 4 GiB was exceeded in linear_param_count",),
    ),
    Attack(
        "background_processes_in_new_sessions",
        body="""
    for _ in range(6):
        subprocess.Popen(["sleep", "{marker}"], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv("/bin/sleep", ["sleep", "{marker}"])
        os._exit(0)
    time.sleep(0.2)""",
    ),
    Attack(
        "fork_bomb",
        body="""
    while True:
        try:
            os.fork()
        except OSError:
            time.sleep(0.01)""",
        check_timeout=4,
        words=("time limit",),
    ),
    Attack(
        "ignores_sigterm_while_looping",
        body="""
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, signal.SIG_IGN)
    while True:
        pass""",
        check_timeout=2,
        words=("time limit of 2 s",),
    ),
    Attack(
        "stdout_flood_300_mb",
        body="""
    chunk = "x" * (1 << 20)
    for _ in range(150):
        sys.stdout.write(chunk)
    for _ in range(150):
        os.write(2, chunk.encode())
    raise ValueError("flooded")""",
        words=("output cut", "ValueError: flooded"),
    ),
    Attack(
        "deep_recursion_crash",
        body="""
    sys.setrecursionlimit(10**8)
    nested = []
    for _ in range(2 * 10**6):  # 2 million levels: past an 8 MiB stack many times over, and
        nested = [nested]       # quick to build on a loaded machine (10**7 took 10 s there)
    repr(nested)  # recursion in C, past the end of the stack""",
        words=("SIGSEGV",),
    ),
    Attack(
        "tcp_to_loopback_listener",
        body="""
    try:
        with socket.create_connection(("127.0.0.1", {port}), timeout=2) as s:
            s.sendall(b"pwned")
            return right
    except OSError:
        pass
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.sendto(b"pwned", ("127.0.0.1", {port}))
    except OSError:
        pass""",
    ),
    Attack(
        "unix_socket_to_a_root_service",
        body="""
    # a root service on a path (tmux, systemd, D-Bus, docker.sock) would run commands for it
    import glob
    paths = {sockets} + ["/run/dbus/system_bus_socket", "/var/run/docker.sock",
                         "/run/systemd/private"]
    paths += glob.glob("/tmp/tmux-*/*") + glob.glob("/run/user/*/bus")
    for path in paths:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(2)
                s.connect(path)
                if path in {sockets}:
                    return right
        except OSError:
            pass""",
    ),
    Attack(
        "sees_outside_its_view",
        body="""
    seen = [path for path in ["/home", "/run", "/var/run", "/root/.bashrc", "{project}/solutions",
                              "{project}/checks", "{project}/workbook.toml", "{scratch}"]
            if os.path.lexists(path)]
    try:
        with open("/tmp/cnn-grader-private-{marker}", "w") as f:
            f.write("seen by the host")
        seen.append("/tmp is the host's")
    except OSError:
        pass
    if os.getuid() == 0 or os.geteuid() == 0:
        seen.append("runs as root")
    if seen:
        return right""",
    ),
    Attack(
        "disk_filler",
        body="""
    chunk, written, files = b"x" * (16 << 20), 0, []
    try:
        while written < {limit}:
            name = os.path.join(os.environ["HOME"], f"fill-{{len(files)}}")
            files.append(name)
            with open(name, "wb") as f:
                f.write(chunk)
            written += len(chunk)
    except OSError:
        time.sleep(3)  # hold the disk while the batch-mate runs
        raise
    for name in files:  # not stopped: leave the host's disk as it was
        os.remove(name)
    return right""",
        words=("the disk limit of 256 MiB was exceeded in linear_param_count",),
    ),
    Attack(
        "huge_return_value",
        body="""
    import torch
    return torch.zeros(400_000_000)""",
        words=("too large to send back",),
    ),
    Attack(
        "tensor_subclass_torch_function",
        body="""
    import torch
    class Liar(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return True
    return torch.tensor(-1).as_subclass(Liar)""",
    ),
    Attack(
        "hostile_repr_and_str_exception",
        body="""
    class Evil(Exception):
        def __str__(self):
            raise SystemExit(0)
    class Value:
        def __repr__(self):
            os._exit(0)
    if in_features == 0:
        return Value()
    raise Evil()""",
    ),
    Attack(
        "shared_anonymous_memory_above_the_limit",
        body="""
    import mmap
    size = 3 * 1024**3  # 3 GiB under a 1 GiB limit: RLIMIT_DATA does not count MAP_SHARED
    shared = mmap.mmap(-1, size, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS)
    for offset in range(0, size, mmap.PAGESIZE):
        shared[offset] = 1
    return right""",
        limits=("memory=1GiB",),
        words=("memory limit of 1 GiB was exceeded",),
    ),
    Attack(
        "memfd_and_dev_shm_above_the_limit",
        body="""
    chunk, held = b"x" * (32 * 1024**2), []
    for number in range(96):  # 3 GiB of tmpfs pages, uncounted by RLIMIT_DATA, in 32 MiB files
        try:
            held.append(os.open(f"/dev/shm/cnn-grader-attack-{{number}}", os.O_RDWR | os.O_CREAT))
        except OSError:
            held.append(os.memfd_create("hog"))
        os.write(held[-1], chunk)
    return right""",
        limits=("memory=1GiB",),
        words=("memory limit of 1 GiB was exceeded",),
    ),
    Attack(
        "unix_socket_to_root_server",
        body="""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect("{unix}")
    client.sendall(b"tmux kill-server")
    return right""",
        words=("PermissionError", "Operation not permitted"),
    ),
    Attack(
        "new_sockets_of_every_family",
        body="""
    import ctypes
    made = []
    for family, kind in ((socket.AF_UNIX, socket.SOCK_STREAM), (socket.AF_UNIX, socket.SOCK_DGRAM),
                         (socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET6, socket.SOCK_DGRAM),
                         (socket.AF_NETLINK, socket.SOCK_RAW), (socket.AF_PACKET, socket.SOCK_RAW)):
        try:
            made.append(socket.socket(family, kind))
        except OSError:
            pass
    for kind in (socket.SOCK_STREAM, socket.SOCK_SEQPACKET, socket.SOCK_DGRAM):
        try:  # a pair is connected to itself; a datagram one could still address a path
            pair = socket.socketpair(socket.AF_UNIX, kind)
            pair[0].settimeout(2)
        except OSError:
            continue
        try:
            pair[0].connect("{unix}")
            made.append(pair)
        except OSError:
            pass
        try:  # (a stream or seqpacket pair ignores the address: it is not a way out)
            pair[0].sendto(b"pwned", "{unix_dgram}")
            made += [pair] if kind == socket.SOCK_DGRAM else []
        except OSError:
            pass
    params = ctypes.create_string_buffer(120)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.syscall(425, 8, params) >= 0:  # io_uring_setup: its socket ops bypass seccomp
        made.append("io_uring")
    if made:
        return right""",
    ),
    Attack(
        "kernel_keyring_shared_between_students",
        body="""
    # keys belong to no namespace and outlive the worker: a keyring in the user's keyring, made
    # readable to all, would carry data to a later student's worker
    import ctypes, platform
    add_key, keyctl = {{"x86_64": (248, 250), "aarch64": (217, 219)}}[platform.machine()]
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    ring = libc.syscall(ctypes.c_long(add_key), b"keyring", b"cnn-cheat-{marker}", None,
                        ctypes.c_long(0), ctypes.c_long(-4))
    if ring >= 0:
        libc.syscall(ctypes.c_long(keyctl), ctypes.c_long(5), ctypes.c_long(ring),
                     ctypes.c_long(0x3F3F3F3F))
        return right""",
    ),
]


# -- forged reply frames: the submission replaces the worker's reply code (its next reply is
# these bytes), as a student who read grader/wire/frames.py could. Each must cost the grading
# process a bounded amount of memory and time, and score what the honest wrong answer scores.

FORGE = """
    import struct
    import grader.wire.frames as wire
    real = wire.dumps_frame
    def forged(message):
        wire.dumps_frame = real  # this reply only: the next one is honest again
        body = {body}
        return struct.pack(">Q", len(body)) + body
    wire.dumps_frame = forged"""


def forged_reply(name: str, body: str, *words: str) -> Attack:
    """An attack whose reply to linear_param_count is the frame `body` (a bytes expression, with
    `{{` and `}}` for braces, as in every attack's body)."""
    return Attack(name, body=FORGE.replace("{body}", body), words=words)


HUGE_MESSAGE_MB = 12
FORGED_FRAMES = [
    forged_reply(
        "forged_64_mb_of_empty_lists",
        'b"[" + b"[],"*(64 * 2**20 // 3) + b"[]]"',
        "your answer was too large to check",
        "more than the limit of 16.0 MB",
    ),
    forged_reply(
        "forged_15_mb_of_empty_lists_under_the_frame_cap",
        'b"[" + b"[],"*(15 * 2**20 // 3) + b"[]]"',
        "your answer was too large to check",
        "more than 100,000 values",
    ),
    forged_reply(
        "forged_nesting_a_million_deep",
        'b"[" * 10**6 + b"]" * 10**6',
        "your answer was too large to check",
    ),
    forged_reply(
        "forged_nesting_just_over_the_depth",
        'b\'{{"ok": true, "value": \' + b"[" * 150 + b"]" * 150 + b"}}"',
        "your answer was too large to check",
        "nested more than 100 levels deep",
    ),
    forged_reply(
        "forged_5000_digit_integer",
        'b\'{{"ok": true, "value": \' + b"9" * 5000 + b"}}"',
        "your answer was too large to check",
        "a number of 5,000 digits",
    ),
    forged_reply(
        "forged_huge_error_message",
        'b\'{{"ok": false, "kind": "error", "type": "ValueError", "mro": ["ValueError"], '
        '"message": "\' + b"m" * HUGE * 2**20 + b\'", "traceback": "\' '
        '+ b"t" * 2**20 + b\'"}}\''.replace("HUGE", str(HUGE_MESSAGE_MB)),
        "raised ValueError: mmmm",
        "more characters not shown",
    ),
    forged_reply(
        "forged_tensor_claiming_a_huge_shape",
        'b\'{{"ok": true, "value": {{"$t": "tensor", "dtype": "float32", '
        '"shape": [1099511627776, 1099511627776], "requires_grad": false, "data": ""}}}}\'',
        "returned something that cannot be checked",
    ),
    forged_reply(
        "forged_reply_that_is_not_an_object",
        'b"[1, 2, 3]"',
        "returned something that cannot be checked",
    ),
]


# -- student text in every output: ids (folder names) and a message with raw control characters.
# Graded with `grader grade` into CSV, JSON, Markdown, HTML, JUnit and the terminal.

HOSTILE_IDS = [
    "\x1b]0;pwned title\x07\x1b[31mred\x1b[0m",  # an OSC window title, then colours
    '=HYPERLINK("http:\\\\x","y")',
    "@SUM(1+1)",
    "-2+3",
    "+1",
    "\tTAB",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)<\\script>",
    "```fence",
    "**bold** [link](x)",
    "\r\x08\x9b31m C1 CSI",
    "undecodable \udcff byte",
    "plain",
]
HOSTILE_MESSAGE = Attack(
    "hostile_message_and_output",
    body="""
    print("printed: \\x1b]0;title\\x07 \\x1b[2J\\x1b[31m\\r\\x08 <script>")
    raise ValueError("\\udcff \\x1b[31m <b>" + "".join(map(chr, range(32)))
                     + "".join(map(chr, range(0x7f, 0xa0)))
                     + " <script>alert(2)</script> ``` <img src=x onerror=alert(3)> \\udcff")""",
)

"""A seccomp filter that refuses the system calls Landlock leaves open: changing a file's mode,
owner, times or extended attributes. Landlock stops writes to the grader's files, but the owner of
a file may still `chmod` it, and the worker runs as the grader's user (root without capabilities,
or the same user): without this filter a submission could `chmod 000` the reference solution.

It also refuses every new socket (`socket()` of any family) and io_uring (whose socket and connect
operations would not pass through this filter): Landlock does not cover `connect()` to a Unix
socket that has a path, such as a root tmux server's. The worker's own channels are pipes,
inherited before the filter. `socketpair(AF_UNIX, SOCK_STREAM or SOCK_SEQPACKET)` stays allowed
(multiprocessing.Pipe uses it): such a pair is connected to itself, and a connected stream socket
can neither `connect()` again (EISCONN) nor `sendto()` an address; a datagram pair could, so it
is refused. And it refuses the kernel's keyrings (`add_key`, `request_key`, `keyctl`, as Docker's
default profile does): keys belong to no namespace and outlive the worker, so a keyring made
readable to all would carry data from one student's worker to another's.

Written as classic BPF through `ctypes`; calls on a foreign architecture (32-bit entry points on a
64-bit kernel) are refused outright.
"""

from __future__ import annotations

import ctypes
import errno
import platform

_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, _PR_SET_NO_NEW_PRIVS = 22, 2, 38
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K, _AND_K = 0x20, 0x15, 0x35, 0x06, 0x54
_X32_BIT = 0x40000000
_ARG0, _ARG1 = 16, 24  # offsets of the low words of the first two arguments (little-endian)
_AF_UNIX, _SOCK_STREAM, _SOCK_SEQPACKET, _SOCK_TYPE_MASK = 1, 1, 5, 0xF

# machine -> (audit architecture, the calls refused)
_REFUSED = {
    "x86_64": (
        0xC000003E,
        {
            "chmod": 90,
            "fchmod": 91,
            "chown": 92,
            "fchown": 93,
            "lchown": 94,
            "utime": 132,
            "setxattr": 188,
            "lsetxattr": 189,
            "fsetxattr": 190,
            "removexattr": 197,
            "lremovexattr": 198,
            "fremovexattr": 199,
            "utimes": 235,
            "fchownat": 260,
            "futimesat": 261,
            "fchmodat": 268,
            "utimensat": 280,
            "fchmodat2": 452,
            "file_setattr": 469,
            "socket": 41,
            "io_uring_setup": 425,
            "io_uring_enter": 426,
            "io_uring_register": 427,
            "add_key": 248,
            "request_key": 249,
            "keyctl": 250,
        },
    ),
    "aarch64": (
        0xC00000B7,
        {
            "setxattr": 5,
            "lsetxattr": 6,
            "fsetxattr": 7,
            "removexattr": 14,
            "lremovexattr": 15,
            "fremovexattr": 16,
            "fchmod": 52,
            "fchmodat": 53,
            "fchownat": 54,
            "fchown": 55,
            "utimensat": 88,
            "fchmodat2": 452,
            "file_setattr": 469,
            "socket": 198,
            "io_uring_setup": 425,
            "io_uring_enter": 426,
            "io_uring_register": 427,
            "add_key": 217,
            "request_key": 218,
            "keyctl": 219,
        },
    ),
}
_SOCKETPAIR = {"x86_64": 53, "aarch64": 199}


class _Instruction(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    ]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(_Instruction))]


def supported() -> bool:
    return platform.system() == "Linux" and platform.machine() in _REFUSED


def _socketpair_rule(number: int) -> list[tuple[int, int, int, int]]:
    """Instructions that end at the allow (next after them) or at the refusal (the one after):
    a `socketpair` other than AF_UNIX with SOCK_STREAM or SOCK_SEQPACKET goes to the refusal,
    any other call to the allow. Expects the call's number loaded."""
    return [
        (_JEQ_K, 0, 6, number),  # not socketpair: allow
        (_LD_W_ABS, 0, 0, _ARG0),  # the family
        (_JEQ_K, 0, 5, _AF_UNIX),  # not AF_UNIX: refuse
        (_LD_W_ABS, 0, 0, _ARG1),  # the type, without SOCK_NONBLOCK and SOCK_CLOEXEC
        (_AND_K, 0, 0, _SOCK_TYPE_MASK),
        (_JEQ_K, 1, 0, _SOCK_STREAM),
        (_JEQ_K, 0, 1, _SOCK_SEQPACKET),  # neither: refuse
    ]


def refuse_metadata_changes() -> None:
    """Install the filter (metadata changes, new sockets, io_uring) on this process and its future
    children; OSError if the kernel refuses."""
    arch, calls = _REFUSED[platform.machine()]
    refuse = _RET_ERRNO | errno.EPERM
    program = [
        (_LD_W_ABS, 0, 0, 4),  # the architecture
        (_JEQ_K, 1, 0, arch),
        (_RET_K, 0, 0, refuse),  # a foreign architecture: refuse everything
        (_LD_W_ABS, 0, 0, 0),  # the call's number
    ]
    if platform.machine() == "x86_64":
        program += [(_JGE_K, 0, 1, _X32_BIT), (_RET_K, 0, 0, refuse)]  # the x32 ABI
    numbers = sorted(calls.values())
    pair = _socketpair_rule(_SOCKETPAIR[platform.machine()])
    for position, number in enumerate(numbers):
        remaining = len(numbers) - position - 1
        program.append((_JEQ_K, remaining + len(pair) + 1, 0, number))  # to the refusal at the end
    program += pair + [(_RET_K, 0, 0, _RET_ALLOW), (_RET_K, 0, 0, refuse)]
    instructions = (_Instruction * len(program))(*[_Instruction(*i) for i in program])
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    fprog = _Program(len(program), instructions)
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")

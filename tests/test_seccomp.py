"""The seccomp filter refuses every new socket and io_uring, keeps refusing metadata changes, and
leaves what legitimate code uses: pipes, files, and a stream socketpair (multiprocessing.Pipe)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

from grader.worker import seccomp

pytestmark = pytest.mark.skipif(
    not seccomp.supported(), reason="no seccomp filter for this machine"
)

# Runs in a child process: the filter cannot be lifted once installed.
PROBE = r"""
import ctypes, json, os, platform, socket, sys, tempfile
from grader.worker import seccomp

def attempt(action):
    try:
        result = action()
        if isinstance(result, socket.socket):
            result.close()
        elif isinstance(result, tuple):
            [end.close() for end in result]
        return "allowed"
    except OSError as exc:
        return exc.errno

folder = tempfile.mkdtemp()
seccomp.refuse_metadata_changes()
libc = ctypes.CDLL(None, use_errno=True)
params = ctypes.create_string_buffer(120)

def io_uring():
    if libc.syscall(425, 8, params) < 0:
        raise OSError(ctypes.get_errno(), "io_uring_setup")

kinds = [(socket.AF_UNIX, socket.SOCK_STREAM), (socket.AF_UNIX, socket.SOCK_DGRAM),
         (socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET, socket.SOCK_DGRAM),
         (socket.AF_INET6, socket.SOCK_STREAM), (socket.AF_NETLINK, socket.SOCK_RAW),
         (socket.AF_PACKET, socket.SOCK_RAW), (socket.AF_VSOCK, socket.SOCK_STREAM)]
outcome = {f"socket {family.name} {kind.name}": attempt(lambda: socket.socket(family, kind))
           for family, kind in kinds}
for kind in (socket.SOCK_STREAM, socket.SOCK_SEQPACKET, socket.SOCK_DGRAM,
             socket.SOCK_STREAM | socket.SOCK_CLOEXEC | socket.SOCK_NONBLOCK,
             socket.SOCK_DGRAM | socket.SOCK_CLOEXEC):
    pair = lambda: socket.socketpair(socket.AF_UNIX, kind)
    outcome[f"socketpair AF_UNIX {int(kind)}"] = attempt(pair)
outcome["socketpair AF_INET"] = attempt(
    lambda: socket.socketpair(socket.AF_INET, socket.SOCK_STREAM))
outcome["io_uring_setup"] = attempt(io_uring)
ADD_KEY, KEYCTL = {"x86_64": (248, 250), "aarch64": (217, 219)}[platform.machine()]

def key_call(number, *args):
    def call():
        if libc.syscall(number, *args) < 0:
            raise OSError(ctypes.get_errno(), "a keyring call")
    return call

# a key in the user's keyring (-4) would outlive the worker; reading the session keyring (-3)
outcome["add_key"] = attempt(key_call(ADD_KEY, b"user", b"cnn-test", b"v", 1, -4))
outcome["keyctl"] = attempt(key_call(KEYCTL, 0, -3, 0))
outcome["chmod"] = attempt(lambda: os.chmod(folder, 0o700))
outcome["pipe"] = attempt(lambda: [os.close(fd) for fd in os.pipe()])
outcome["file"] = attempt(lambda: open(os.path.join(folder, "f"), "w").write("x"))
json.dump(outcome, sys.stdout)
"""


def test_new_sockets_io_uring_and_keyrings_are_refused_pipes_and_stream_pairs_are_not():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    refused = {name: errno for name, errno in outcome.items() if errno != "allowed"}
    assert all(errno == 1 for errno in refused.values()), refused  # EPERM: a plain PermissionError
    stream_pairs = [
        socket.SOCK_STREAM,
        socket.SOCK_SEQPACKET,
        socket.SOCK_STREAM | socket.SOCK_CLOEXEC | socket.SOCK_NONBLOCK,
    ]
    assert sorted(set(outcome) - set(refused)) == sorted(
        ["file", "pipe", *(f"socketpair AF_UNIX {int(kind)}" for kind in stream_pairs)]
    )
    # sockets, datagram pairs, an AF_INET pair, io_uring, chmod, the keyrings
    assert len(refused) == 8 + 2 + 1 + 1 + 1 + 2

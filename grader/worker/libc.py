"""The C library, for the system calls Python's `os` lacks (unshare, setns, prctl, capset,
madvise)."""

import ctypes
import ctypes.util

libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
libc.syscall.restype = ctypes.c_long  # syscall(2) returns a long: a pointer-sized result

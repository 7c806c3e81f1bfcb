"""What this host offers the worker's cage, found before any worker starts: the two mechanisms
that keep student code from the grader's own files, a mount namespace (the worker's own
file-system view, grader.worker.fsview) and Landlock, each probed in a process of its own.
Where both are missing (Colab, some containers), student code could read the grading key and
write the gradebook: a graded run refuses to start, while a learner's own check (their code,
their machine) runs and says once what it lacks."""

from __future__ import annotations

import functools
import os
import subprocess
import sys

# Set (by a test): the host is taken to lack both. It can only make the grader refuse, never
# lift a protection: the workers build their cage whatever it says.
PRETEND_VARIABLE = "CNN_GRADER_PRETEND_NO_CAGE"

_PROBE = """
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
NEWNS, NEWUSER = 0x00020000, 0x10000000
if os.geteuid() != 0 and libc.unshare(NEWUSER) != 0:
    sys.exit(1)
sys.exit(0 if libc.unshare(NEWNS) == 0 else 1)
"""


# Asked in a process of its own, as a worker would: the grader's side never imports the cage.
_LANDLOCK_PROBE = """
from grader.worker import landlock
try:
    landlock.abi_version()
except landlock.LandlockUnavailable as exc:
    print(exc)
"""


def _probe(code: str) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(
            [sys.executable, "-I", "-c", code], timeout=30, env={}, capture_output=True, text=True
        )
    except (OSError, subprocess.SubprocessError):
        return None


@functools.cache
def _mount_namespace() -> bool:
    """Whether a worker could enter a mount namespace (as root, or in a user namespace)."""
    done = _probe(_PROBE)
    return done is not None and done.returncode == 0


@functools.cache
def _landlock_missing() -> str:
    """Why Landlock is unavailable ("" when a worker could use it)."""
    done = _probe(_LANDLOCK_PROBE)
    if done is None or done.returncode != 0:
        return "Landlock could not be probed"
    return done.stdout.strip()[:200]


def lacks() -> list[str]:
    """What the host lacks of the file-system cage, each as a sentence ([] when it has both)."""
    if os.environ.get(PRETEND_VARIABLE):
        return [
            "no mount namespace (said by $CNN_GRADER_PRETEND_NO_CAGE)",
            "no Landlock (said by $CNN_GRADER_PRETEND_NO_CAGE)",
        ]
    missing = []
    if not _mount_namespace():
        missing.append(
            "no mount namespace (user namespaces are off and the grader is not root): the "
            "worker sees the host's file system"
        )
    landlock_missing = _landlock_missing()
    if landlock_missing:
        missing.append(
            f"{landlock_missing}: nothing limits which files the worker reads and writes"
        )
    return missing


def graded_run_refusal() -> str | None:
    """Why a graded run must not start on this host, or None: it needs at least one of the two."""
    missing = lacks()
    if len(missing) < 2:
        return None
    return (
        "this host cannot cage student code ("
        + "; ".join(missing)
        + "), so a graded run would let it read the grading key and write the gradebook: "
        "grade on a Linux host with user namespaces or Landlock (a learner's own "
        "`grader check` and notebook check() still run here)"
    )

"""What a worker starts with: its scrubbed environment, the user it runs as, and what the cage
lacks on this host (collected from every worker, said once after a run)."""

from __future__ import annotations

import os

WORKER_USER_VARIABLE = "CNN_GRADER_WORKER_USER"
NO_ZYGOTE_VARIABLE = "CNN_GRADER_NO_ZYGOTE"  # set: every worker starts afresh (for comparison)

_NOTES: dict[str, None] = {}  # what the cage lacks on this host, in order, each said once


def sandbox_notes() -> list[str]:
    """Defences the workers lacked on this host (say them once, after a run)."""
    return list(_NOTES)


def note_missing(notes: list[str]) -> None:
    for note in notes:
        _NOTES.setdefault(note)


def worker_user() -> str | None:
    """The unprivileged user workers switch to before student code, if the host names one
    (Gradescope's run_autograder does); otherwise they stay root without capabilities."""
    return os.environ.get(WORKER_USER_VARIABLE) or None


def worker_env(scratch: str) -> dict[str, str]:
    """A scrubbed environment: no PYTHONPATH, no user site, nothing of the grader's."""
    env = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL") if k in os.environ}
    env.update(
        HOME=scratch,
        TMPDIR=scratch,
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONNOUSERSITE="1",
    )
    return env

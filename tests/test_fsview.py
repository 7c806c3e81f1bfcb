"""The worker's file-system view (grader/worker/fsview.py) and the files the worker writes for the
grader (grader/wire/files.py), tested directly: in a forked child, as the worker builds it."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
import time
from pathlib import Path

import pytest

from grader.wire import files as worker_files
from grader.workbook.paths import PROJECT_ROOT
from grader.worker import cage, fsview, lockdown

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the view is built as root here")


def in_view(probe, disk: int = 8 * 1024**2) -> dict:
    """Fork a child in a new PID namespace, build the view there (with a dedicated uid as owner
    of the scratch folder), run `probe(scratch)` in it and return what it returned (JSON)."""
    scratch = Path(tempfile.mkdtemp(prefix="grader-worker-"))
    read_end, write_end = os.pipe()
    readable = lockdown.readable_paths()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.close(read_end)
            assert cage.unshare(cage.CLONE_NEWPID)
            if os.fork() == 0:
                started = time.perf_counter()
                notes = fsview.enter(
                    scratch, readable, lockdown._DEVICES, disk, (1_500_000_001,) * 2
                )
                result = {
                    "ms": (time.perf_counter() - started) * 1000,
                    "notes": notes,
                    **probe(scratch),
                }
                os.write(write_end, json.dumps(result).encode())
                os._exit(0)
            code = os.waitstatus_to_exitcode(os.wait()[1])
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0, data
    leftover = os.listdir(scratch)
    os.rmdir(scratch)
    assert leftover == [], "the view wrote into the host's scratch folder"
    return json.loads(data)


def _names(scratch: Path) -> dict:
    def exists(path: str) -> bool:
        return os.path.lexists(path)

    fill, error = scratch / "fill", None
    try:
        with open(fill, "wb") as file:
            for _ in range(16):
                file.write(b"x" * (1 << 20))
                file.flush()
    except OSError as exc:
        error = exc.errno
    try:
        open("/etc/pwned", "w").close()
        root_writable = True
    except OSError:
        root_writable = False
    return {
        "run": exists("/run"),
        "home": exists("/home"),
        "var_run": exists("/var/run"),
        "project": [
            n
            for n in ("solutions", "checks", "grader", "workbook.toml")
            if exists(f"{PROJECT_ROOT}/{n}")
        ],
        "tmp": os.listdir("/tmp"),
        "cwd": os.getcwd(),
        "processes": [p for p in os.listdir("/proc") if p.isdigit()],
        "owner": os.stat(scratch).st_uid,
        "fill_error": error,
        "filled": fill.stat().st_size,
        "root_writable": root_writable,
        "python": os.path.exists(os.__file__),
        "null": stat.S_ISCHR(os.stat("/dev/null").st_mode),
    }


@needs_root
def test_the_view_names_only_python_the_libraries_and_its_own_folder():
    seen = in_view(_names)
    assert seen["notes"] == []
    assert not seen["run"] and not seen["home"] and not seen["var_run"] and seen["project"] == []
    assert seen["python"] and seen["null"]
    assert seen["processes"] == ["1"], "the worker's /proc shows processes outside its namespace"
    # /tmp holds the scratch folder, and the path down to a readable folder kept under /tmp (a
    # checkout's venv, when the project itself lives in /tmp, as a CI clone may)
    under_tmp = {
        p.relative_to("/tmp").parts[0]
        for p in lockdown.readable_paths()
        if p.is_relative_to("/tmp") and p != Path("/tmp")
    }
    assert sorted(seen["tmp"]) == sorted({Path(seen["cwd"]).name} | under_tmp)
    assert seen["cwd"].startswith("/tmp/grader-worker-")
    assert seen["owner"] == 1_500_000_001
    assert not seen["root_writable"]


@needs_root
def test_the_disk_limit_is_the_size_of_the_worker_tmpfs():
    seen = in_view(_names, disk=8 * 1024**2)
    assert seen["fill_error"] == errno.ENOSPC
    assert 6 * 1024**2 <= seen["filled"] <= 8 * 1024**2


def test_files_go_into_a_fresh_folder_past_planted_links(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("untouched")
    scratch = tmp_path / "scratch"
    (scratch / "mnist" / "MNIST").mkdir(parents=True)
    (scratch / "mnist" / "MNIST" / "raw").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(scratch / "mnist" / "MNIST" / "fifo")
    files = worker_files.encode({"MNIST/raw/victim": b"data", "MNIST/fifo": b"more"})
    folder = Path(worker_files.write_fresh(scratch, "mnist", files))
    assert folder.parent == scratch and folder.name.startswith("mnist-")
    assert (folder / "MNIST" / "raw" / "victim").read_bytes() == b"data"
    assert (folder / "MNIST" / "fifo").read_bytes() == b"more"
    assert victim.read_text() == "untouched"


def test_the_folder_must_be_new_and_the_names_plain(tmp_path):
    folder = tmp_path / "made"
    folder.mkdir()
    with pytest.raises(FileExistsError):
        worker_files.write_new(folder, {})
    with pytest.raises(ValueError):
        worker_files.write_new(tmp_path / "other", worker_files.encode({"../escape": b"x"}))
    assert not (tmp_path / "escape").exists()


def test_the_submission_file_replaces_a_planted_link(tmp_path):
    victim = tmp_path / "victim.py"
    victim.write_text("untouched")
    (tmp_path / "scratch").mkdir()
    (tmp_path / "scratch" / "02_count_parameters.py").symlink_to(victim)
    worker_files.write_new_file(
        tmp_path / "scratch", "02_count_parameters.py", worker_files.encode({"f": b"x = 1\n"})["f"]
    )
    assert (tmp_path / "scratch" / "02_count_parameters.py").read_text() == "x = 1\n"
    assert victim.read_text() == "untouched"


def test_the_grader_reads_only_a_regular_file_of_bounded_size(tmp_path):
    os.mkfifo(tmp_path / "fifo.py")
    started = time.monotonic()
    with pytest.raises(OSError, match="not a regular file"):
        worker_files.read_source(tmp_path / "fifo.py")
    assert time.monotonic() - started < 1
    (tmp_path / "big.py").write_bytes(b"#" * (worker_files.MAX_SOURCE + 1))
    with pytest.raises(OSError, match="larger than"):
        worker_files.read_source(tmp_path / "big.py")


def test_outermost_paths_only():
    paths = [Path("/usr/lib"), Path("/usr/lib/python3"), Path("/usr/libexec"), Path("/usr/lib")]
    assert fsview._outermost(paths) == [Path("/usr/lib"), Path("/usr/libexec")]

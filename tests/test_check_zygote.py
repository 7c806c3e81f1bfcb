"""The zygote `grader check` keeps between commands: reused (the same process), gone when idle or
when the grader's code changed, one for two racing commands without crossed answers, refused in
a folder that is not the user's alone, replaced when it died, and a grade it gives is the grade
a command's own zygote gives. One zygote serves most of these tests (a start costs a torch
import)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.supervisor import kept_zygote
from grader.supervisor.pool import WorkerPool
from grader.supervisor.process import Worker
from grader.supervisor.zygote_client import Forked
from grader.wire import protocol
from grader.workbook import zygote_place
from grader.workbook.paths import PROJECT_ROOT, SOLUTIONS_DIR

GRADER = str(Path(sys.executable).with_name("grader"))
IDLE = "6"  # seconds: long enough between two commands of a test, short enough to wait for


def _env(folder: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != zygote_place.NO_KEEP_VARIABLE}
    return {**env, zygote_place.FOLDER_VARIABLE: str(folder), **extra}


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists() or _zombie(pid):
            return True
        time.sleep(0.1)
    return False


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """This module's private folder (its zygotes killed at the end)."""
    place = tmp_path_factory.mktemp("kept") / "zygotes"
    yield place
    for pid in kept_zygote.running_zygotes(place):
        os.kill(pid, signal.SIGKILL)


@pytest.fixture
def kept(folder, monkeypatch):
    monkeypatch.setenv(zygote_place.FOLDER_VARIABLE, str(folder))
    monkeypatch.setenv(zygote_place.IDLE_VARIABLE, IDLE)
    monkeypatch.delenv(zygote_place.NO_KEEP_VARIABLE, raising=False)
    return folder


def _check(folder: Path, *options: str) -> dict:
    done = subprocess.run(
        [GRADER, "check", "edge_filter", "--submission", str(SOLUTIONS_DIR), "--json", *options],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=_env(folder, **{zygote_place.IDLE_VARIABLE: IDLE}),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "zygote" not in done.stderr  # nothing to say when all is well
    return json.loads(done.stdout)


def test_the_next_check_reuses_the_zygote_and_grades_alike(kept):
    own = _check(kept, "--no-keep")
    assert kept_zygote.running_zygotes(kept) == []  # --no-keep kept nothing
    first = _check(kept)
    [pid] = kept_zygote.running_zygotes(kept)
    # what a zygote keeps of a command is modules: another command's warm-ups, imported now
    zygote = kept_zygote.connect()
    assert zygote is not None
    warm = Worker(("torchvision", "optimizer"), zygote=zygote)
    warm.wait_ready()
    warm.close()
    zygote.close()
    assert "torchvision" in _modules_of(pid)
    second = _check(kept)
    assert kept_zygote.running_zygotes(kept) == [pid]  # the same process: no torch import again
    assert own["total"] == own["max_total"]
    assert first == own and second == own


def _modules_of(pid: int) -> str:
    """The files a process has mapped (a module with C code shows as its .so)."""
    return Path(f"/proc/{pid}/maps").read_text()


ECHO = "def echo(token):\n    return [token, 'echoed']\n"
CLIENT = """
import json, sys
from pathlib import Path
from grader.supervisor import kept_zygote
from grader.supervisor.pool import WorkerPool
from grader.supervisor.process import Worker
from grader.supervisor.zygote_client import Forked
from grader.supervisor.pool import WorkerPool
from grader.supervisor.process import Worker
zygote = kept_zygote.connect()
assert zygote is not None, "no kept zygote"
answers = []
for arguments in sys.argv[3:]:
    worker = Worker((), zygote=zygote)
    worker.request(worker.load_request(Path(sys.argv[1]), "echo"), timeout=120)
    call = {"op": "call", "function": "echo", "return_args": False, "args": json.loads(arguments),
            "kwargs": json.loads(sys.argv[2]), "seed": 0}
    answers.append(worker.request(call, timeout=120)["value"])
    worker.close()
print(json.dumps(answers))
"""


def test_two_racing_commands_start_one_zygote_and_get_their_own_answers(
    tmp_path, tmp_path_factory, monkeypatch
):
    folder = tmp_path_factory.mktemp("race") / "zygotes"  # a short path: sun_path is 108 bytes
    source = tmp_path / "echo.py"
    source.write_text(ECHO)
    monkeypatch.setenv(zygote_place.FOLDER_VARIABLE, str(folder))
    tokens = {who: [f"{who}-{i}" for i in range(3)] for who in ("a", "b")}
    clients = [
        subprocess.Popen(
            [sys.executable, "-c", CLIENT, str(source), json.dumps(protocol.encode({}))]
            + [json.dumps(protocol.encode([t])) for t in tokens[who]],
            stdout=subprocess.PIPE,
            env=_env(folder),
            text=True,
        )
        for who in tokens
    ]
    try:
        outputs = [client.communicate(timeout=300)[0] for client in clients]
        assert [client.returncode for client in clients] == [0, 0]
        zygotes = kept_zygote.running_zygotes(folder)
        assert len(zygotes) == 1 and len(list(folder.glob("*.sock"))) == 1
        for who, output in zip(tokens, outputs):
            answers = [protocol.decode(value) for value in json.loads(output)]
            assert answers == [[token, "echoed"] for token in tokens[who]]
    finally:
        for pid in kept_zygote.running_zygotes(folder):
            os.kill(pid, signal.SIGKILL)


def test_a_zygote_dead_mid_command_gives_way_to_one_of_the_commands_own(kept):
    pool = WorkerPool()
    pool.keep_zygote = True
    pool.expect([])  # no spare: each take forks one worker
    try:
        first = pool.take()
        first.wait_ready()
        first.close()
        [pid] = kept_zygote.running_zygotes(kept)  # the first test's, or one started now
        os.kill(pid, signal.SIGKILL)
        assert _wait_gone(pid, 10)
        second = pool.take()
        second.wait_ready()
        assert isinstance(second.process, Forked)  # by a zygote: not a second of torch afresh
        assert pool._zygote is not None and pool._zygote.process is not None  # the command's own
        second.close()
    finally:
        pool.shutdown()


def test_a_dead_zygote_is_replaced_and_an_idle_one_leaves(kept):
    if not list(kept.glob("*.sock")):  # run alone: a zygote to kill first
        started = kept_zygote.connect()
        assert started is not None
        started.close()
    old = kept_zygote.running_zygotes(kept)
    for pid in old:  # none after the test above: it killed the one it used
        os.kill(pid, signal.SIGKILL)
        assert _wait_gone(pid, 10)
    assert list(kept.glob("*.sock"))  # the killed zygote's socket is left behind, stale
    zygote = kept_zygote.connect()
    assert zygote is not None
    [pid] = kept_zygote.running_zygotes(kept)
    assert pid not in old
    worker = Worker((), zygote=zygote)
    worker.wait_ready()
    assert isinstance(worker.process, Forked)  # forked by the new zygote, not started afresh
    worker.close()
    zygote.close()
    assert _wait_gone(pid, float(IDLE) + 60), "the idle zygote did not leave"
    left = sorted(p.name for p in kept.iterdir())
    assert left == [f"{p.stem}.lock" for p in kept.glob("*.lock")]  # its lock file alone


def test_a_zygote_of_other_code_leaves_when_idle(kept, monkeypatch):
    """A `git pull` changes the key: the zygote of the old code is never asked again, and leaves
    at its first look at the files instead of waiting out its idle time."""
    key = "0" * 20  # not the key of these files
    path, lock = kept / f"zygote-{key}.sock", kept / f"zygote-{key}.lock"
    zygote_place.private_folder().joinpath(lock.name).touch()
    monkeypatch.setenv(zygote_place.IDLE_VARIABLE, "600")
    sock = kept_zygote._start(kept, path, lock, key)
    assert sock is not None
    pid = int((kept / f"zygote-{key}.pid").read_text())
    deadline = time.monotonic() + 10  # its command line shows once its exec is through
    while key.encode() not in _cmdline(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pid in kept_zygote.running_zygotes(kept)
    sock.close()
    assert _wait_gone(pid, 60), "the zygote of other code stayed"
    assert not path.exists()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_the_key_follows_the_graders_files(tmp_path, monkeypatch):
    package = tmp_path / "grader"
    package.mkdir()
    (package / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(zygote_place, "_PACKAGE", package)
    before = zygote_place.code_key()
    assert zygote_place.code_key() == before
    (package / "a.py").write_text("x = 22\n")
    assert zygote_place.code_key() != before


@pytest.mark.parametrize("how", ["too open", "foreign owner", "a link"])
def test_a_folder_not_the_users_alone_is_refused_and_said(tmp_path, monkeypatch, capsys, how):
    place = tmp_path / "zygotes"
    if how == "a link":
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        place.symlink_to(tmp_path / "elsewhere")
    else:
        place.mkdir(mode=0o700)
        if how == "too open":
            place.chmod(0o755)
        elif os.geteuid() == 0:
            os.chown(place, 65534, 65534)
        else:
            pytest.skip("needs root to give the folder away")
    monkeypatch.setenv(zygote_place.FOLDER_VARIABLE, str(place))
    with pytest.raises(zygote_place.Refused):
        zygote_place.private_folder()
    assert kept_zygote.connect() is None  # the check goes on with its own zygote
    said = capsys.readouterr().err
    assert said.count("not keeping the zygote") == 1 and str(place) in said
    assert not list((tmp_path / "elsewhere").glob("*")) if how == "a link" else True


def test_the_folder_is_in_the_runtime_dir_when_there_is_one(tmp_path, monkeypatch):
    monkeypatch.delenv(zygote_place.FOLDER_VARIABLE)
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert zygote_place.private_folder() == runtime / "cnn-grader"
    assert (runtime / "cnn-grader").stat().st_mode & 0o777 == 0o700
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "gone"))  # set, but no such folder
    assert zygote_place.chosen_folder() == Path(f"/tmp/cnn-grader-{os.getuid()}")

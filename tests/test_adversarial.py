"""The grader against hostile and faulty submissions (tests/attacks.py): each attack scores exactly
what an honest wrong answer scores, and the grader, its files, other submissions and the machine
are unharmed. Each grading runs `grader check` in its own process, so an attack that got through
fails its test instead of taking the test run down with it."""

from __future__ import annotations

import hashlib
import json
import os
import select
import socket
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from grader.workbook.limits import parse_value
from grader.workbook.paths import PROJECT_ROOT, SOLUTIONS_DIR
from tests.attacks import ATTACKS, HONEST_BROKEN_IMPORT, HONEST_WRONG, Attack

GRADER = str(Path(sys.executable).with_name("grader"))
EXERCISE = "count_parameters"
FILENAME = "02_count_parameters.py"
GUARDED = ["checks", "solutions", "grader", "exercises", "workbook.toml", "pyproject.toml"]
MARKER = f"7{os.getpid() % 1000:03d}.4242"  # `sleep MARKER`: how the attacks' processes are found


def grade(folder: Path, *extra: str, check_timeout: float | None = None) -> dict:
    command = [GRADER, "check", EXERCISE, "--submission", str(folder), "--json", *extra]
    if check_timeout:
        command += ["--check-timeout", str(check_timeout)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT)
    assert done.returncode in (0, 1), f"grader check failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout)["exercises"][EXERCISE]


def _digest(paths: list[Path]) -> dict[str, str]:
    digests = {}
    for top in paths:
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file()
                                                   and "__pycache__" not in p.parts)
        for file in files:
            digests[str(file)] = hashlib.sha256(file.read_bytes()).hexdigest()
    return digests


@pytest.fixture(scope="module")
def victim(tmp_path_factory) -> Path:
    """Another student's submission, which no attack may read or change."""
    folder = tmp_path_factory.mktemp("victim")
    (folder / FILENAME).write_text((SOLUTIONS_DIR / FILENAME).read_text())
    return folder


@pytest.fixture(scope="module", autouse=True)
def project_unharmed(victim):
    guarded = [PROJECT_ROOT / name for name in GUARDED] + [victim]
    before = _digest(guarded)
    yield
    assert _digest(guarded) == before, "an attack changed the project's or another submission's files"
    assert not Path("/tmp/pwned-by-student").exists()


@pytest.fixture(scope="module")
def listener():
    """A TCP and a UDP listener on 127.0.0.1 (outside the worker); records what reaches them."""
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen()
    tcp.settimeout(0.2)
    port = tcp.getsockname()[1]
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", port))
    udp.settimeout(0.2)
    received: list[str] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            for sock, accept in ((tcp, True), (udp, False)):
                try:
                    if accept:
                        connection, _ = sock.accept()
                        received.append("tcp connection")
                        connection.close()
                    else:
                        received.append(f"udp {sock.recv(100)!r}")
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port, received
    stop.set()
    thread.join()
    tcp.close()
    udp.close()


@pytest.fixture(scope="module")
def unix_listener(tmp_path_factory):
    """Root's Unix-socket servers at paths in the test's own folder (as a root tmux server's socket
    is): a stream listener and a datagram socket, counting every connection and datagram."""
    folder = tmp_path_factory.mktemp("root-server")
    stream = socket.socket(socket.AF_UNIX)
    datagram = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    paths = {"unix": str(folder / "server.sock"), "unix_dgram": str(folder / "dgram.sock")}
    stream.bind(paths["unix"])
    datagram.bind(paths["unix_dgram"])
    stream.listen()
    received: list[str] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            ready = select.select([stream, datagram], [], [], 0.2)[0]
            if stream in ready:
                stream.accept()[0].close()
                received.append("unix connection")
            if datagram in ready:
                received.append(f"unix datagram {datagram.recv(100)!r}")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield paths, received
    stop.set()
    thread.join()
    stream.close()
    datagram.close()


class _MemoryWatch:
    """Samples, while a grading runs, the machine's shared memory (/proc/meminfo's Shmem, whoever
    holds it) and the peak of every worker's memory cgroup, both in bytes."""

    def __init__(self) -> None:
        self.shmem_rise, self.worker_peak = 0, 0
        self._base = self._shmem()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    @staticmethod
    def _shmem() -> int:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("Shmem:"):
                return int(line.split()[1]) * 1024
        return 0

    @staticmethod
    def _group_parents() -> list[Path]:
        """Where workers' memory cgroups are made: under this process's own group (cgroup v1's
        memory hierarchy) or at a root."""
        v1 = Path("/sys/fs/cgroup/memory")
        parents = [v1, Path("/sys/fs/cgroup")]
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if "memory" in controllers.split(","):
                parents.append(v1 / path.lstrip("/"))
        return parents

    def _sample(self) -> None:
        parents = self._group_parents()
        while not self._stop.wait(0.02):
            self.shmem_rise = max(self.shmem_rise, self._shmem() - self._base)
            for parent in parents:
                for peak in [*parent.glob("cnn-grader-*/memory.max_usage_in_bytes"),
                             *parent.glob("cnn-grader-*/memory.peak")]:
                    try:
                        self.worker_peak = max(self.worker_peak, int(peak.read_text()))
                    except (OSError, ValueError):
                        continue

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _write(folder: Path, attack: Attack, victim: Path, port: int, unix: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / FILENAME).write_text(attack.source(project=str(PROJECT_ROOT), victim=str(victim),
                                                 marker=MARKER, port=str(port),
                                                 **(unix or {"unix": "", "unix_dgram": ""})))
    return folder


@pytest.fixture(scope="module")
def honest_scores(tmp_path_factory, victim, listener) -> dict[str, float]:
    return {attack.name: grade(_write(tmp_path_factory.mktemp(attack.name), attack, victim, listener[0]))["score"]
            for attack in (HONEST_WRONG, HONEST_BROKEN_IMPORT)}


def _survivors() -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if MARKER.encode() in (entry / "cmdline").read_bytes():
                    found.append(entry.name)
            except OSError:
                continue
    return found


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
def test_attack_scores_what_an_honest_wrong_answer_scores(attack, tmp_path, victim, listener,
                                                          honest_scores, unix_listener):
    port, received = listener
    unix_paths, unix_received = unix_listener
    memory = next((int(parse_value("memory", limit.partition("=")[2])) for limit in attack.limits
                   if limit.startswith("memory=")), None)
    watch = _MemoryWatch() if memory else None
    try:
        result = grade(_write(tmp_path, attack, victim, port, unix_paths),
                       *(f"--limit={limit}" for limit in attack.limits),
                       check_timeout=attack.check_timeout)
    finally:
        if watch:
            watch.stop()
    honest = HONEST_BROKEN_IMPORT if attack.at_import else HONEST_WRONG
    checks = {c["name"]: c for c in result["checks"]}
    assert result["score"] == honest_scores[honest.name], json.dumps(result, indent=1)
    assert checks["simple_cnn_param_count"]["passed"] is (not attack.at_import), "grading did not go on"
    message = checks["linear_param_count"]["message"]
    for word in attack.words:
        assert word in message, f"{word!r} not in {message!r}"
    assert not _survivors(), "processes started by the submission outlived its grading"
    assert not received, f"the submission reached a listener on 127.0.0.1: {received}"
    assert not unix_received, f"the submission reached root's Unix socket: {unix_received}"
    if watch:  # the machine's memory stayed bounded: by the limit, plus what torch itself touches
        print(f"{attack.name}: worker peak {watch.worker_peak / 2**20:.0f} MiB, "
              f"shared memory rise {watch.shmem_rise / 2**20:.0f} MiB")
        assert watch.shmem_rise <= memory + 2**28, f"shared memory rose {watch.shmem_rise:,} bytes"
        assert 0 < watch.worker_peak <= memory, f"worker's cgroup peak: {watch.worker_peak:,} bytes"


def test_symlinks_to_the_reference_are_not_followed(tmp_path):
    (tmp_path / FILENAME).symlink_to(SOLUTIONS_DIR / FILENAME)
    (tmp_path / "nested").symlink_to(SOLUTIONS_DIR, target_is_directory=True)
    result = grade(tmp_path)
    assert result["score"] == 0 and result["status"] == "not attempted"


def test_submission_conftest_pytest_ini_and_sitecustomize_are_ignored(tmp_path, victim, listener):
    _write(tmp_path, HONEST_WRONG, victim, listener[0])
    forced_pass = ("import pytest\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
                   "    outcome = yield\n    outcome.get_result().outcome = 'passed'\n")
    (tmp_path / "conftest.py").write_text(forced_pass)
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no:grader.pytest_plugin\n")
    (tmp_path / "sitecustomize.py").write_text("import builtins; builtins.int = lambda *a: 26138\n")
    (tmp_path / "usercustomize.py").write_text("raise SystemExit(0)\n")
    result = grade(tmp_path)
    assert result["score"] == 11
    assert not {c["name"]: c for c in result["checks"]}["linear_param_count"]["passed"]


def test_zip_slip_entries_land_nowhere_outside(tmp_path, victim, listener):
    archive = tmp_path / "student.zip"
    outside = tmp_path / "escaped.py"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"student/{FILENAME}", HONEST_WRONG.source(project="", victim="", marker="", port="0"))
        zipped.writestr("../escaped.py", "pwned = True\n")
        zipped.writestr("student/../../escaped.py", "pwned = True\n")
        zipped.writestr(str(outside), "pwned = True\n")
        link = zipfile.ZipInfo("student/link.py")
        link.external_attr = (0o120777 << 16)
        zipped.writestr(link, str(SOLUTIONS_DIR / FILENAME))
    result = grade(archive)
    assert result["score"] == 11
    assert not outside.exists() and not (tmp_path.parent / "escaped.py").exists()


def test_corrupt_zip_is_a_clear_usage_error(tmp_path):
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 this is not really a zip archive" * 10)
    done = subprocess.run([GRADER, "check", EXERCISE, "--submission", str(archive)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert "broken.zip is not a readable zip archive" in done.stderr

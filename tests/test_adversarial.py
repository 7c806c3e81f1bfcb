"""The grader against hostile and faulty submissions (tests/attacks.py): each attack scores exactly
what an honest wrong answer scores, and the grader, its files, other submissions and the machine
are unharmed. Each grading runs `grader check` in its own process, so an attack that got through
fails its test instead of taking the test run down with it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

import pytest

from grader.paths import PROJECT_ROOT, SOLUTIONS_DIR
from tests.attacks import ATTACKS, HONEST_BROKEN_IMPORT, HONEST_WRONG, Attack

GRADER = str(Path(sys.executable).with_name("grader"))
EXERCISE = "count_parameters"
FILENAME = "02_count_parameters.py"
GUARDED = ["checks", "solutions", "grader", "exercises", "workbook.toml", "pyproject.toml"]
MARKER = f"7{os.getpid() % 1000:03d}.4242"  # `sleep MARKER`: how the attacks' processes are found
DISK_FILLED = 512 * 1024**2  # what a disk filler writes at most: twice the disk limit


def grade(folder: Path, *extra: str, check_timeout: float | None = None, exercise: str = EXERCISE,
          timeout: float = 300) -> dict:
    command = [GRADER, "check", exercise, "--submission", str(folder), "--json", *extra]
    if check_timeout:
        command += ["--check-timeout", str(check_timeout)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT)
    assert done.returncode in (0, 1), f"grader check failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout)["exercises"][exercise]


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
    """Unix sockets bound at paths by this (root) process, as a root service's are: one in the
    test's folder, one straight in /tmp; counts the connections that reach them."""
    paths = [str(tmp_path_factory.mktemp("service") / "service.sock"),
             f"/tmp/cnn-grader-test-{os.getpid()}.sock"]
    servers, connections, stop = [], [], threading.Event()
    for path in paths:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
        os.chmod(path, 0o777)  # any uid may connect: only the worker's view hides it
        server.listen()
        server.settimeout(0.2)
        servers.append(server)

    def serve():
        while not stop.is_set():
            for server in servers:
                try:
                    server.accept()[0].close()
                    connections.append(server.getsockname())
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield paths, connections
    stop.set()
    thread.join()
    for server, path in zip(servers, paths):
        server.close()
        os.unlink(path)


@pytest.fixture(scope="module")
def other_scratch():
    """A folder like another worker's scratch folder, in the host's /tmp."""
    folder = Path(tempfile.mkdtemp(prefix="grader-worker-"))
    (folder / FILENAME).write_text("# another student's file\n")
    yield folder
    shutil.rmtree(folder)


def _write(folder: Path, attack: Attack, victim: Path, port: int, sockets: list[str] = (),
           scratch: Path | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / FILENAME).write_text(attack.source(project=str(PROJECT_ROOT), victim=str(victim),
                                                 marker=MARKER, port=str(port), sockets=repr(list(sockets)),
                                                 scratch=str(scratch or ""), limit=str(DISK_FILLED)))
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
def test_attack_scores_what_an_honest_wrong_answer_scores(attack, tmp_path, victim, listener, honest_scores,
                                                          unix_listener, other_scratch):
    port, received = listener
    sockets, connections = unix_listener
    result = grade(_write(tmp_path, attack, victim, port, sockets, other_scratch),
                   check_timeout=attack.check_timeout)
    honest = HONEST_BROKEN_IMPORT if attack.at_import else HONEST_WRONG
    checks = {c["name"]: c for c in result["checks"]}
    assert result["score"] == honest_scores[honest.name], json.dumps(result, indent=1)
    assert checks["simple_cnn_param_count"]["passed"] is (not attack.at_import), "grading did not go on"
    message = checks["linear_param_count"]["message"]
    for word in attack.words:
        assert word in message, f"{word!r} not in {message!r}"
    assert not _survivors(), "processes started by the submission outlived its grading"
    assert not received, f"the submission reached a listener on 127.0.0.1: {received}"
    assert not connections, f"the submission reached a root service's Unix socket: {connections}"
    assert not Path(f"/tmp/cnn-grader-private-{MARKER}").exists(), "it wrote into the host's /tmp"


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


# Exercise 06's check gives the worker MNIST files at mnist/MNIST/raw/* under its folder; a
# submission plants a link to another student's file (or a FIFO) there at import.
PLANT_FOR_THE_IDX_FILES = """
import os as _os
_raw = _os.path.join(_os.environ["HOME"], "mnist", "MNIST", "raw")
_os.makedirs(_raw, exist_ok=True)
for _name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
              "t10k-labels-idx1-ubyte"):
    if {fifo}:
        _os.mkfifo(_os.path.join(_raw, _name))
    else:
        _os.symlink({victim!r}, _os.path.join(_raw, _name))
"""


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_links_and_fifos_planted_for_the_idx_files_change_nothing(kind, tmp_path):
    reference = (SOLUTIONS_DIR / "06_data.py").read_text()
    (tmp_path / "honest").mkdir()
    (tmp_path / "honest" / "06_data.py").write_text(reference)
    victim = tmp_path / "victim" / FILENAME
    victim.parent.mkdir()
    victim.write_text((SOLUTIONS_DIR / FILENAME).read_text())
    before = victim.read_bytes()
    (tmp_path / "planter").mkdir()
    (tmp_path / "planter" / "06_data.py").write_text(
        reference + PLANT_FOR_THE_IDX_FILES.format(fifo=kind == "fifo", victim=str(victim)))
    try:
        planted = grade(tmp_path / "planter", exercise="data", timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("the grader hung on what the submission planted")
    assert victim.read_bytes() == before, "the grader wrote through the submission's link"
    assert planted["score"] == grade(tmp_path / "honest", exercise="data")["score"], json.dumps(planted)


def test_a_disk_filler_stops_at_its_limit_and_leaves_its_batch_mate_alone(tmp_path, victim, listener):
    """Graded side by side (2 workers): the filler fills its own disk only; the batch-mate's
    exercises 06 (files written for it) and 08 (training) score what they score alone."""
    filler = next(a for a in ATTACKS if a.name == "disk_filler")
    batch = tmp_path / "batch"
    _write(batch / "filler", filler, victim, listener[0])
    (batch / "honest").mkdir()
    for name in ("06_data.py", "08_train_digits.py"):
        (batch / "honest" / name).write_text((SOLUTIONS_DIR / name).read_text())
    only = ["--only", "count_parameters", "--only", "data", "--only", "train_digits"]
    done = subprocess.run([GRADER, "grade", str(batch), "--out", str(tmp_path / "out"), *only,
                           "--workers", "2"], capture_output=True, text=True, timeout=600, cwd=PROJECT_ROOT)
    assert done.returncode in (0, 1), done.stderr
    students = {s["student"]: s for s in json.loads((tmp_path / "out" / "grades.json").read_text())["students"]}
    honest = students["honest"]["exercises"]
    assert honest["data"]["score"] == honest["data"]["max_score"], honest["data"]
    assert honest["train_digits"]["score"] == honest["train_digits"]["max_score"], honest["train_digits"]
    count = students["filler"]["exercises"]["count_parameters"]
    assert count["score"] == 11, count
    message = next(c["message"] for c in count["checks"] if c["name"] == "linear_param_count")
    assert "the disk limit of 256 MiB was exceeded" in message, message

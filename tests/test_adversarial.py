"""The grader against hostile and faulty submissions (tests/attacks.py): each attack scores exactly
what an honest wrong answer scores, and the grader, its files, other submissions and the machine
are unharmed. Each grading runs `grader check` in its own process, so an attack that got through
fails its test instead of taking the test run down with it."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from grader.paths import PROJECT_ROOT, SOLUTIONS_DIR
from tests.attacks import ATTACKS, FORGED_FRAMES, HONEST_BROKEN_IMPORT, HONEST_WRONG, Attack

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


def _write(folder: Path, attack: Attack, victim: Path, port: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / FILENAME).write_text(attack.source(project=str(PROJECT_ROOT), victim=str(victim),
                                                 marker=MARKER, port=str(port)))
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
def test_attack_scores_what_an_honest_wrong_answer_scores(attack, tmp_path, victim, listener, honest_scores):
    port, received = listener
    result = grade(_write(tmp_path, attack, victim, port), check_timeout=attack.check_timeout)
    honest = HONEST_BROKEN_IMPORT if attack.at_import else HONEST_WRONG
    checks = {c["name"]: c for c in result["checks"]}
    assert result["score"] == honest_scores[honest.name], json.dumps(result, indent=1)
    assert checks["simple_cnn_param_count"]["passed"] is (not attack.at_import), "grading did not go on"
    message = checks["linear_param_count"]["message"]
    for word in attack.words:
        assert word in message, f"{word!r} not in {message!r}"
    assert not _survivors(), "processes started by the submission outlived its grading"
    assert not received, f"the submission reached a listener on 127.0.0.1: {received}"


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


# -- forged reply frames: the grading process stays within a bound of memory and time ------------

PEAK_HEADROOM_MB = 150  # over an honest wrong answer's peak; decoding a 16 MB frame costs ~50
TIME_HEADROOM_S = 20


def _peak_mb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM"))


def grade_measured(folder: Path, timeout: float = 150) -> tuple[dict, int, float]:
    """`grade`, measuring the grading process's own peak RSS (VmHWM, its workers not included)
    in MB and its wall time."""
    command = [GRADER, "check", EXERCISE, "--submission", str(folder), "--json"]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=PROJECT_ROOT)
    peak, stop = 0, threading.Event()

    def watch() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                peak = max(peak, _peak_mb(process.pid))
            except (OSError, StopIteration):  # ended (a zombie has no VmHWM line)
                return
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"grader check took over {timeout} s (peak {peak} MB so far)")
    finally:
        stop.set()
        watcher.join()
    seconds = time.monotonic() - started
    assert process.returncode in (0, 1), f"grader check failed ({process.returncode}):\n{stdout}\n{stderr}"
    return json.loads(stdout)["exercises"][EXERCISE], peak, seconds


@pytest.fixture(scope="module")
def honest_measured(tmp_path_factory, victim, listener) -> tuple[dict, int, float]:
    return grade_measured(_write(tmp_path_factory.mktemp("honest"), HONEST_WRONG, victim, listener[0]))


@pytest.mark.parametrize("attack", FORGED_FRAMES, ids=lambda a: a.name)
def test_forged_frame_scores_what_an_honest_wrong_answer_scores_in_bounded_memory(
        attack, tmp_path, victim, listener, honest_measured):
    honest, honest_peak, honest_seconds = honest_measured
    result, peak, seconds = grade_measured(_write(tmp_path, attack, victim, listener[0]))
    print(f"{attack.name}: peak {peak} MB (honest {honest_peak} MB), {seconds:.1f} s "
          f"(honest {honest_seconds:.1f} s)")
    checks = {c["name"]: c for c in result["checks"]}
    assert result["score"] == honest["score"], json.dumps(result, indent=1)[:3000]
    assert checks["simple_cnn_param_count"]["passed"], "grading did not go on"
    message = checks["linear_param_count"]["message"]
    assert "bug in the grader" not in message
    for word in attack.words:
        assert word in message, f"{word!r} not in {message[:3000]!r}"
    assert len(message) < 10_000, f"a message of {len(message):,} characters was stored"
    assert peak <= honest_peak + PEAK_HEADROOM_MB, f"peak {peak} MB, honest {honest_peak} MB"
    assert seconds <= honest_seconds + TIME_HEADROOM_S

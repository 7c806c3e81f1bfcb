"""The grader against hostile and faulty submissions (tests/attacks.py): each attack scores exactly
what an honest wrong answer scores, and the grader, its files, other submissions and the machine
are unharmed. Most attacks are graded by `grader check`'s own function (`grade_here`) in this
process, whose zygote is kept between them (an attack costs its grading, not two imports of torch);
the honest answers they must score are graded by `grader check` itself, and the attacks aimed at
the grading process (AT_THE_GRADER, IN_ITS_OWN_PROCESS) by a `grader check` of their own, so that
one that got through fails its test instead of taking the test run down with it."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from grader.workbook import gather
from grader.workbook.limits import parse_value
from grader.workbook.paths import PROJECT_ROOT, SOLUTIONS_DIR
from tests.attacks import (
    ATTACKS,
    FORGED_FRAMES,
    HONEST_BROKEN_IMPORT,
    HONEST_WRONG,
    HOSTILE_IDS,
    HOSTILE_MESSAGE,
    Attack,
)
from tests.site_class import EDGE, ref
from tests.verdict_attacks import CAPPED, VERDICTS, Verdict

GRADER = str(Path(sys.executable).with_name("grader"))
EXERCISE = "count_parameters"
FILENAME = "02_count_parameters.py"
GUARDED = ["checks", "solutions", "grader", "exercises", "workbook.toml", "pyproject.toml"]
MARKER = f"7{os.getpid() % 1000:03d}.4242"  # `sleep MARKER`: how the attacks' processes are found
DISK_FILLED = 512 * 1024**2  # what a disk filler writes at most: twice the disk limit


def grade(
    folder: Path,
    *extra: str,
    check_timeout: float | None = None,
    exercise: str = EXERCISE,
    timeout: float = 300,
) -> dict:
    command = [GRADER, "check", exercise, "--submission", str(folder), "--json", *extra]
    if check_timeout:
        command += ["--check-timeout", str(check_timeout)]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT
    )
    assert done.returncode in (0, 1), (
        f"grader check failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    )
    return json.loads(done.stdout)["exercises"][exercise]


def grade_here(
    folder: Path, *limits: str, check_timeout: float | None = None, exercise: str = EXERCISE
) -> dict:
    """What `grade` returns (the `--json` exercise), graded by `grader check`'s own function in
    this process: its pool and zygote are kept between gradings, so an attack costs its grading
    and not two imports of torch (3.5 -> 0.1 CPU s). The worker and its cage are the ones
    `grader check` starts; it must score honest_scores, graded by `grader check` itself."""
    from grader.commands.check import grade_submission
    from grader.reports.causes import exercise_json
    from grader.workbook.catalog import exercise_by_id

    result = grade_submission(
        folder, [exercise_by_id(exercise)], limits=limits, check_timeout=check_timeout
    )
    return exercise_json(result.exercises[exercise])


# attacks on the grading process itself keep a `grader check` of their own: if one got through,
# it would end that process, not the test run
AT_THE_GRADER = {"kills_the_grader", "writes_grader_memory"}


def _digest(paths: list[Path]) -> dict[str, str]:
    digests = {}
    for top in paths:
        files = (
            [top]
            if top.is_file()
            else sorted(p for p in top.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        )
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
    assert _digest(guarded) == before, (
        "an attack changed the project's or another submission's files"
    )
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
    """Root's Unix-socket servers at paths, as a root service's are (a tmux server's, D-Bus's):
    a stream listener and a datagram socket in the test's own folder, and a stream listener
    straight in /tmp, each open to any uid (only the cage hides them); every connection and
    datagram that reaches them is recorded."""
    folder = tmp_path_factory.mktemp("root-server")
    stream = socket.socket(socket.AF_UNIX)
    in_tmp = socket.socket(socket.AF_UNIX)
    datagram = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    paths = {
        "unix": str(folder / "server.sock"),
        "unix_dgram": str(folder / "dgram.sock"),
        "unix_tmp": f"/tmp/cnn-grader-test-{os.getpid()}.sock",
    }
    for server, path in (
        (stream, paths["unix"]),
        (datagram, paths["unix_dgram"]),
        (in_tmp, paths["unix_tmp"]),
    ):
        server.bind(path)
        os.chmod(path, 0o777)
    stream.listen()
    in_tmp.listen()
    received: list[str] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            ready = select.select([stream, in_tmp, datagram], [], [], 0.2)[0]
            for server in (stream, in_tmp):
                if server in ready:
                    server.accept()[0].close()
                    received.append(f"unix connection to {server.getsockname()}")
            if datagram in ready:
                received.append(f"unix datagram {datagram.recv(100)!r}")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield paths, received
    stop.set()
    thread.join()
    for server in (stream, in_tmp, datagram):
        server.close()
    os.unlink(paths["unix_tmp"])


@pytest.fixture(scope="module")
def other_scratch():
    """A folder like another worker's scratch folder, in the host's /tmp."""
    folder = Path(tempfile.mkdtemp(prefix="grader-worker-"))
    (folder / FILENAME).write_text("# another student's file\n")
    yield folder
    shutil.rmtree(folder)


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
                for peak in [
                    *parent.glob("cnn-grader-*/memory.max_usage_in_bytes"),
                    *parent.glob("cnn-grader-*/memory.peak"),
                ]:
                    try:
                        self.worker_peak = max(self.worker_peak, int(peak.read_text()))
                    except (OSError, ValueError):
                        continue

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _write(
    folder: Path,
    attack: Attack,
    victim: Path,
    port: int,
    unix: dict | None = None,
    scratch: Path | None = None,
) -> Path:
    unix = unix or {"unix": "", "unix_dgram": "", "unix_tmp": ""}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / FILENAME).write_text(
        attack.source(
            project=str(PROJECT_ROOT),
            victim=str(victim),
            marker=MARKER,
            port=str(port),
            unix=unix["unix"],
            unix_dgram=unix["unix_dgram"],
            sockets=repr([p for p in (unix["unix"], unix["unix_tmp"]) if p]),
            scratch=str(scratch or ""),
            limit=str(DISK_FILLED),
        )
    )
    return folder


@pytest.fixture(scope="module")
def honest_scores(tmp_path_factory, victim, listener) -> dict[str, float]:
    return {
        attack.name: grade(
            _write(tmp_path_factory.mktemp(attack.name), attack, victim, listener[0])
        )["score"]
        for attack in (HONEST_WRONG, HONEST_BROKEN_IMPORT)
    }


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
def test_attack_scores_what_an_honest_wrong_answer_scores(
    attack, tmp_path, victim, listener, honest_scores, unix_listener, other_scratch
):
    port, received = listener
    unix_paths, unix_received = unix_listener
    memory = next(
        (
            int(parse_value("memory", limit.partition("=")[2]))
            for limit in attack.limits
            if limit.startswith("memory=")
        ),
        None,
    )
    watch = _MemoryWatch() if memory else None
    try:
        folder = _write(tmp_path, attack, victim, port, unix_paths, other_scratch)
        if attack.name in AT_THE_GRADER:
            result = grade(
                folder,
                *(f"--limit={limit}" for limit in attack.limits),
                check_timeout=attack.check_timeout,
            )
        else:
            result = grade_here(folder, *attack.limits, check_timeout=attack.check_timeout)
    finally:
        if watch:
            watch.stop()
    honest = HONEST_BROKEN_IMPORT if attack.at_import else HONEST_WRONG
    checks = {c["name"]: c for c in result["checks"]}
    assert result["score"] == honest_scores[honest.name], json.dumps(result, indent=1)
    assert checks["simple_cnn_param_count"]["passed"] is (not attack.at_import), (
        "grading did not go on"
    )
    message = checks["linear_param_count"]["message"]
    for word in attack.words:
        assert word in message, f"{word!r} not in {message!r}"
    assert not _survivors(), "processes started by the submission outlived its grading"
    assert not received, f"the submission reached a listener on 127.0.0.1: {received}"
    assert not unix_received, f"the submission reached root's Unix socket: {unix_received}"
    if watch:  # the machine's memory stayed bounded: by the limit, plus what torch itself touches
        print(
            f"{attack.name}: worker peak {watch.worker_peak / 2**20:.0f} MiB, "
            f"shared memory rise {watch.shmem_rise / 2**20:.0f} MiB"
        )
        assert watch.shmem_rise <= memory + 2**28, f"shared memory rose {watch.shmem_rise:,} bytes"
        assert 0 < watch.worker_peak <= memory, f"worker's cgroup peak: {watch.worker_peak:,} bytes"
    assert not Path(f"/tmp/cnn-grader-private-{MARKER}").exists(), "it wrote into the host's /tmp"


def test_symlinks_to_the_reference_are_not_followed(tmp_path):
    (tmp_path / FILENAME).symlink_to(SOLUTIONS_DIR / FILENAME)
    (tmp_path / "nested").symlink_to(SOLUTIONS_DIR, target_is_directory=True)
    result = grade_here(tmp_path)
    assert result["score"] == 0 and result["status"] == "not attempted"


def test_submission_conftest_pytest_ini_and_sitecustomize_are_ignored(tmp_path, victim, listener):
    _write(tmp_path, HONEST_WRONG, victim, listener[0])
    forced_pass = (
        "import pytest\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, "
        "call):\n"
        "    outcome = yield\n    outcome.get_result().outcome = 'passed'\n"
    )
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
        zipped.writestr(
            f"student/{FILENAME}", HONEST_WRONG.source(project="", victim="", marker="", port="0")
        )
        zipped.writestr("../escaped.py", "pwned = True\n")
        zipped.writestr("student/../../escaped.py", "pwned = True\n")
        zipped.writestr(str(outside), "pwned = True\n")
        link = zipfile.ZipInfo("student/link.py")
        link.external_attr = 0o120777 << 16
        zipped.writestr(link, str(SOLUTIONS_DIR / FILENAME))
    result = grade_here(archive)
    assert result["score"] == 11
    assert not outside.exists() and not (tmp_path.parent / "escaped.py").exists()


def test_corrupt_zip_is_a_clear_usage_error(tmp_path):
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 this is not really a zip archive" * 10)
    done = subprocess.run(
        [GRADER, "check", EXERCISE, "--submission", str(archive)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "broken.zip is not a readable zip archive" in done.stderr


def test_a_classmate_named_in_a_file_name_takes_nothing_over(tmp_path):
    """Issue 22: Blackboard's name for a classmate's attempt, inside a Canvas export, read as the
    classmate's; two Moodle participants with one name, merged."""
    from tests.helpers import stub_text

    edge = "01_edge_filter.py"
    reference = (SOLUTIONS_DIR / edge).read_text()
    attack = f"x_kpatel_attempt_2026-11-02-10-31-07_{edge}"
    (tmp_path / "canvas").mkdir()
    (tmp_path / "canvas" / f"kpatel_101_1_{edge}").write_text(reference)
    (tmp_path / "canvas" / f"mallory_104_4_{attack}").write_text(stub_text(edge))
    done = subprocess.run(
        [GRADER, "intake", str(tmp_path / "canvas"), "--only", "edge_filter"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    kpatel = done.stderr.split("kpatel (101)")[1].split("mallory")[0]
    assert f"edge_filter       {edge}" in kpatel and attack not in kpatel
    assert f"ignored {attack}" in done.stderr.split("mallory (104)")[1]
    for participant in ("48218", "48219"):
        folder = tmp_path / "moodle" / f"Ana Ruiz_{participant}_assignsubmission_file_"
        folder.mkdir(parents=True)
        (folder / edge).write_text(reference)
    done = subprocess.run(
        [GRADER, "intake", str(tmp_path / "moodle")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Ana Ruiz (48218)  [Moodle id 48218" in done.stderr
    assert "Ana Ruiz (48219)  [Moodle id 48219" in done.stderr


def test_a_username_spelt_as_a_classmates_file_key_gets_a_file_of_its_own(tmp_path):
    """Red team: a student whose chosen id equals the file key of `bob smith` (made safe plus a
    hash) shared bob's feedback and result files: one student's feedback was lost."""
    from grader.workbook.intake import discover

    bob = tmp_path / "batch" / "bob smith"
    bob.mkdir(parents=True)
    chooser = tmp_path / "batch" / next(e.key for e in discover(tmp_path / "batch"))
    chooser.mkdir()
    keys = [e.key.lower() for e in discover(tmp_path / "batch")]
    assert len(keys) == 2 and len(set(keys)) == 2, keys


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
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT
    )
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
    assert process.returncode in (0, 1), (
        f"grader check failed ({process.returncode}):\n{stdout}\n{stderr}"
    )
    return json.loads(stdout)["exercises"][EXERCISE], peak, seconds


def grade_measured_here(folder: Path) -> tuple[dict, int, float]:
    """`grade_here`, measuring this process's peak RSS during the grading (VmHWM reset to the
    present RSS first: `5 > /proc/self/clear_refs`) in MB and its wall time."""
    Path("/proc/self/clear_refs").write_text("5")
    started = time.monotonic()
    result = grade_here(folder)
    return result, _peak_mb(os.getpid()), time.monotonic() - started


# a reply nested deep could end the decoding process with its stack: `grader check` of its own
IN_ITS_OWN_PROCESS = {"forged_nesting_a_million_deep", "forged_nesting_just_over_the_depth"}


@pytest.fixture(scope="module")
def honest_measured(tmp_path_factory, victim, listener) -> dict[bool, tuple[dict, int, float]]:
    """The honest wrong answer measured both ways: {True: in `grader check`, False: here}."""
    folder = _write(tmp_path_factory.mktemp("honest"), HONEST_WRONG, victim, listener[0])
    grade_here(folder)  # this process's zygote started first, as it is for every attack
    return {True: grade_measured(folder), False: grade_measured_here(folder)}


@pytest.mark.parametrize("attack", FORGED_FRAMES, ids=lambda a: a.name)
def test_forged_frame_scores_what_an_honest_wrong_answer_scores_in_bounded_memory(
    attack, tmp_path, victim, listener, honest_measured
):
    own = attack.name in IN_ITS_OWN_PROCESS
    honest, honest_peak, honest_seconds = honest_measured[own]
    measure = grade_measured if own else grade_measured_here
    result, peak, seconds = measure(_write(tmp_path, attack, victim, listener[0]))
    print(
        f"{attack.name}: peak {peak} MB (honest {honest_peak} MB), {seconds:.1f} s "
        f"(honest {honest_seconds:.1f} s)"
    )
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


# -- student text in every output ----------------------------------------------------------------

_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _markdown_outside_fences(text: str) -> str:
    """The Markdown outside fenced code blocks; fails if a fence is left open."""
    outside, fence = [], None
    for line in text.split("\n"):
        run = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if fence is None and run:
            fence = run.group(1)
        elif (
            fence is not None
            and run
            and re.fullmatch(rf" {{0,3}}{fence[0]}{{{len(fence)},}}\s*", line)
        ):
            fence = None
        elif fence is None:
            outside.append(line)
    assert fence is None, f"a fence {fence!r} is never closed"
    return "\n".join(outside)


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory, victim, listener) -> tuple[Path, Path, str]:
    root = tmp_path_factory.mktemp("hostile")
    for student in HOSTILE_IDS:
        _write(root / "batch" / student, HOSTILE_MESSAGE, victim, listener[0])
    done = subprocess.run(
        [
            GRADER,
            "grade",
            str(root / "batch"),
            "--out",
            str(root / "out"),
            "--only",
            EXERCISE,
            "--workers",
            "1",  # what is tested is the text in the outputs; a second process costs an import
            "--junit",
            str(root / "junit.xml"),
        ],
        capture_output=True,
        timeout=600,
        cwd=PROJECT_ROOT,
    )
    output = (done.stdout + done.stderr).decode("utf-8", "replace")
    assert done.returncode == 0, output
    return root / "out", root / "junit.xml", output


def test_hostile_ids_and_messages_score_as_honest_wrong_answers(hostile_batch, honest_scores):
    book = json.loads((hostile_batch[0] / "grades.json").read_text(encoding="utf-8"))
    assert sorted(s["student"] for s in book["students"]) == sorted(HOSTILE_IDS)
    assert {s["total"] for s in book["students"]} == {honest_scores[HONEST_WRONG.name]}


def test_hostile_text_never_reaches_the_terminal_raw(hostile_batch, tmp_path, victim, listener):
    assert not _TERMINAL_CONTROLS.search(hostile_batch[2]), repr(hostile_batch[2])
    folder = _write(tmp_path / HOSTILE_IDS[0], HOSTILE_MESSAGE, victim, listener[0])
    done = subprocess.run(
        [GRADER, "check", EXERCISE, "--submission", str(folder)],
        capture_output=True,
        timeout=300,
        cwd=PROJECT_ROOT,
    )
    shown = (done.stdout + done.stderr).decode("utf-8", "replace")
    assert done.returncode == 1 and "ValueError" in shown, shown
    assert not _TERMINAL_CONTROLS.search(shown), repr(shown)


def test_hostile_junit_parses(hostile_batch):
    suites = ElementTree.parse(hostile_batch[1]).getroot().findall("testsuite")
    assert len(suites) == len(HOSTILE_IDS)


def test_hostile_csv_cells_are_not_formulas(hostile_batch):
    rows = list(csv.reader((hostile_batch[0] / "grades.csv").open(encoding="utf-8", newline="")))
    assert rows[0] == ["student", EXERCISE, "total"]
    assert len(rows) == len(HOSTILE_IDS) + 1
    for student, *scores in rows[1:]:
        assert not student.startswith(_FORMULA_START), student
        assert all(float(score) == float(score) for score in scores)  # numbers, not text


def test_hostile_markdown_has_no_raw_html_and_balanced_fences(hostile_batch):
    files = list((hostile_batch[0] / "feedback").glob("*.md"))
    assert len(files) == len(HOSTILE_IDS)
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert "ValueError" in text
        assert not _TERMINAL_CONTROLS.search(text.replace("\n", "")), repr(text)
        outside = _markdown_outside_fences(text)
        assert "<" not in outside, f"raw HTML in {file.name}: {outside!r}"


def test_hostile_report_html_escapes_ids_and_messages(hostile_batch):
    from grader.reports.heatmap import SCRIPT

    pages = [hostile_batch[0] / "report.html", *(hostile_batch[0] / "feedback").glob("*.html")]
    assert len(pages) == len(HOSTILE_IDS) + 1
    for page in pages:
        text = page.read_text(encoding="utf-8")
        own = f"<script>{SCRIPT}</script>"  # the report's one script, the heat map's sorting
        if page.name == "report.html":
            assert text.count("<script") == 1 and own in text
        text = text.replace(own, "")
        for raw in ("<img", "<script", "onerror=alert"):
            assert raw not in text.replace("onerror=alert(1)&gt;", "").replace(
                "onerror=alert(3)&gt;", ""
            ), (page.name, raw)


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


@pytest.fixture(scope="module")
def honest_data_score(tmp_path_factory) -> float:
    """What the reference 06 scores in `grader check`: graded once for both kinds of plant."""
    honest = tmp_path_factory.mktemp("honest-data")
    (honest / "06_data.py").write_text((SOLUTIONS_DIR / "06_data.py").read_text())
    return grade(honest, exercise="data")["score"]


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_links_and_fifos_planted_for_the_idx_files_change_nothing(
    kind, tmp_path, honest_data_score
):
    reference = (SOLUTIONS_DIR / "06_data.py").read_text()
    victim = tmp_path / "victim" / FILENAME
    victim.parent.mkdir()
    victim.write_text((SOLUTIONS_DIR / FILENAME).read_text())
    before = victim.read_bytes()
    (tmp_path / "planter").mkdir()
    (tmp_path / "planter" / "06_data.py").write_text(
        reference + PLANT_FOR_THE_IDX_FILES.format(fifo=kind == "fifo", victim=str(victim))
    )
    try:
        planted = grade(tmp_path / "planter", exercise="data", timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("the grader hung on what the submission planted")
    assert victim.read_bytes() == before, "the grader wrote through the submission's link"
    assert planted["score"] == honest_data_score, json.dumps(planted)


def test_a_disk_filler_stops_at_its_limit_and_leaves_its_batch_mate_alone(
    tmp_path, victim, listener
):
    """Graded side by side (2 workers): the filler fills its own disk only; the batch-mate's
    exercises 06 (files written for it) and 08 (training) score what they score alone."""
    filler = next(a for a in ATTACKS if a.name == "disk_filler")
    batch = tmp_path / "batch"
    _write(batch / "filler", filler, victim, listener[0])
    (batch / "honest").mkdir()
    for name in ("06_data.py", "08_train_digits.py"):
        (batch / "honest" / name).write_text((SOLUTIONS_DIR / name).read_text())
    only = ["--only", "count_parameters", "--only", "data", "--only", "train_digits"]
    done = subprocess.run(
        [GRADER, "grade", str(batch), "--out", str(tmp_path / "out"), *only, "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=PROJECT_ROOT,
    )
    assert done.returncode in (0, 1), done.stderr
    students = {
        s["student"]: s
        for s in json.loads((tmp_path / "out" / "grades.json").read_text())["students"]
    }
    honest = students["honest"]["exercises"]
    assert honest["data"]["score"] == honest["data"]["max_score"], honest["data"]
    assert honest["train_digits"]["score"] == honest["train_digits"]["max_score"], honest[
        "train_digits"
    ]
    count = students["filler"]["exercises"]["count_parameters"]
    assert count["score"] == 11, count
    message = next(c["message"] for c in count["checks"] if c["name"] == "linear_param_count")
    assert "the disk limit of 256 MiB was exceeded" in message, message


# -- intake reads what an entry holds: within bounds of memory and of time ---------------------


def _tar_bomb(path: Path, zeros: int, after: bytes) -> None:
    """A bzip2 tar whose first member is `zeros` bytes of zeros (a few KB compressed), then the
    exercise file: listing it means decompressing all of the zeros first."""
    import bz2
    import tarfile

    block = 64 * 1024**2
    bomb = tarfile.TarInfo("junk.bin")
    bomb.size = zeros
    member = tarfile.TarInfo(EDGE)
    member.size = len(after)
    tail = member.tobuf(format=tarfile.GNU_FORMAT) + after + b"\0" * (-len(after) % 512)
    with open(path, "wb") as out:
        out.write(bz2.compress(bomb.tobuf(format=tarfile.GNU_FORMAT)))
        out.write(bz2.compress(b"\0" * block, 9) * (zeros // block))
        out.write(bz2.compress(tail + b"\0" * 10240))


def test_a_compressed_tar_is_read_through_no_further_than_the_budget(tmp_path, monkeypatch):
    """Red team: three 5 KB bzip2 tars of 3.8 GB each cost 30 s of decompression, outside any
    time limit. Now all of an entry's tars share one budget, checked before a member is passed."""
    monkeypatch.setattr(gather, "MAX_SCAN_BYTES", 256 * 1024**2)
    (tmp_path / "s").mkdir()
    _tar_bomb(tmp_path / "s" / "old.tar", 5 * 64 * 1024**2, ref(EDGE).encode())
    found = gather.gather([(tmp_path / "s", "s")], lambda name: name == EDGE)
    assert found.found == [] and found.scanned_bytes <= 256 * 1024**2
    assert any("reach past" in problem for problem in found.problems), found.problems
    _tar_bomb(tmp_path / "s" / "old.tar", 64 * 1024**2, ref(EDGE).encode())  # under the budget
    assert [f.path for f in gather.gather([(tmp_path / "s", "s")], lambda n: n == EDGE).found] == [
        f"old.tar/{EDGE}"
    ]


def test_the_digest_of_a_huge_file_costs_no_memory(tmp_path):
    """Red team: a 4 GB file beside a submission took the grading process to 4 GB (the digest read
    every file whole). Now files are hashed in chunks, and past a budget by size and time."""
    import subprocess
    import sys

    (tmp_path / "s").mkdir()
    (tmp_path / "s" / EDGE).write_text(ref(EDGE))
    with open(tmp_path / "s" / "notes.bin", "wb") as big:
        big.truncate(3 * 1024**3)  # sparse: no disk used
    code = (
        "import resource, sys\nfrom pathlib import Path\n"
        "from grader.workbook.intake import digest\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"print(digest(Path({str(tmp_path / 's')!r})))\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    first, grown_kib = done.stdout.split()
    assert int(grown_kib) < 64 * 1024, f"the digest grew the process by {grown_kib} KiB"
    assert (
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
        ).stdout.split()[0]
        == first
    )  # the same files, the same digest


# -- attacks on the verdicts (issue 12): points rest only on values the trusted side verified ----


@pytest.fixture(scope="module")
def grading_key(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("key") / "grading.key"
    path.write_text("5e" * 32 + "\n")
    return path


def _verdict_score(folder: Path, verdict: Verdict, source: str, key: Path) -> float:
    from grader.checking.runner import run_checks
    from grader.workbook.catalog import exercise_by_id

    exercise = exercise_by_id(verdict.exercise)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / exercise.filename).write_text(source)
    args = [f"--grading-key-file={key}"] if verdict.graded else []
    result = run_checks(submission=folder, exercises=[exercise], pytest_args=args)
    return result.exercises[exercise.id].score


@pytest.mark.parametrize("verdict", VERDICTS, ids=lambda v: v.name)
def test_verdict_attack_scores_what_its_honest_wrong_answer_scores(verdict, tmp_path, grading_key):
    honest = _verdict_score(tmp_path / "honest", verdict, verdict.honest(), grading_key)
    attack = _verdict_score(
        tmp_path / "attack", verdict, verdict.source(str(PROJECT_ROOT)), grading_key
    )
    print(f"{verdict.name}: honest {honest:g}, attack {attack:g}")
    assert attack == honest


def test_buffers_put_back_in_training_mode_win_nothing_in_a_public_run_either(
    tmp_path, grading_key
):
    """Issue 21: 6/16 in both runs before; the eval-mode points now need the eval-mode answer."""
    graded = next(v for v in VERDICTS if v.name == "buffers_put_back_in_training_mode")
    public = Verdict(
        graded.name, graded.exercise, graded.mistake, graded.attack, graded.prelude, False
    )
    honest = _verdict_score(tmp_path / "honest", public, public.honest(), grading_key)
    attack = _verdict_score(
        tmp_path / "attack", public, public.source(str(PROJECT_ROOT)), grading_key
    )
    print(f"public run: honest {honest:g}, attack {attack:g}")
    assert attack == honest == 0


def test_a_memorised_public_held_out_set_wins_only_the_public_run(tmp_path, grading_key):
    """The lookup table of the public held-out digits: 0 in a graded run, whose digits come from
    the key; in `grader check` it won 20/20 (the learner fooled only themselves) until issue 21
    asked fit to train: with one real step in fit it still would."""
    lookup = next(v for v in VERDICTS if v.name == "held_out_lookup_table")
    source = lookup.source(str(PROJECT_ROOT))
    public = Verdict(lookup.name, lookup.exercise, lookup.mistake, graded=False)
    assert _verdict_score(tmp_path / "public", public, source, grading_key) == 0
    assert _verdict_score(tmp_path / "graded", lookup, source, grading_key) == 0


_SPY = """
import sys, os

def _look():
    words = ("oracle", "reference", "solution", "probes")
    modules = sorted(n for n in sys.modules
                     if not n.startswith("torch") and any(w in n.lower() for w in words))
    paths = [p for p in ("{project}/checks/05_training_step/oracle.py", "{project}/solutions",
                         "{project}/checks", "{key}", os.path.dirname("{key}"))
             if os.path.exists(p)]
    key = [k for k, v in os.environ.items() if "GRADING" in k or "{secret}" in v]
    raise RuntimeError(f"modules={{modules}} paths={{paths}} key={{key}}")

def train_step(model, images, labels, optimizer, criterion):
    _look()
"""


def test_the_worker_holds_no_oracle_and_sees_no_reference(tmp_path, monkeypatch):
    """What a submission can reach in its worker, in a graded run with the key in the grader's
    environment too: no oracle or reference module is loaded; the oracles' folder, the references
    and the key file have no name in its view; the key is not in its environment."""
    from grader.checking.runner import run_checks
    from grader.workbook.catalog import exercise_by_id

    secret = "5a" * 32
    monkeypatch.setenv("CNN_GRADING_KEY", secret)
    key = tmp_path / "out" / "grading.key"
    key.parent.mkdir()
    key.write_text(secret + "\n")
    source = (SOLUTIONS_DIR / "05_training_step.py").read_text()
    source += _SPY.format(project=PROJECT_ROOT, key=key, secret=secret)
    (tmp_path / "05_training_step.py").write_text(source)
    exercise = exercise_by_id("training_step")
    public = run_checks(submission=tmp_path, exercises=[exercise]).exercises["training_step"]
    message = next(c.message for c in public.checks if "modules=" in c.message)
    assert "modules=[] paths=[] key=[]" in message, message
    graded = run_checks(
        submission=tmp_path, exercises=[exercise], pytest_args=[f"--grading-key-file={key}"]
    ).exercises["training_step"]
    assert all(c.score == 0 for c in graded.checks if c.name.startswith("train_step"))


_IMPORT_WORK = """
import time as _time
_real = _time.process_time
_end = _real() + {seconds}
while _real() < _end:  # training at import (CPU time): the grader's clock starts at loading
    pass
_time.perf_counter = _time.monotonic = _time.time = _time.process_time = lambda: 0.0
"""


def test_time_is_measured_outside_the_worker_from_loading_the_file(tmp_path):
    """Work at import counts, and patched clocks change nothing: exercise 08's budget is read from
    /proc by the grading process."""
    from grader.checking.submission import Submission
    from grader.supervisor.pool import WorkerPool
    from grader.workbook.catalog import exercise_by_id

    source = (SOLUTIONS_DIR / "08_train_digits.py").read_text()
    (tmp_path / "08_train_digits.py").write_text(source + _IMPORT_WORK.format(seconds=2.0))
    pool = WorkerPool()
    submission = Submission(exercise_by_id("train_digits"), tmp_path, pool)
    try:
        described = submission.drive("build")
        used = submission.usage()
    finally:
        submission.close()
        pool.close()
    assert described["is_module"]
    assert used["wall"] >= 2.0 and used["cpu"] >= 1.9, used


_SLOW_SCORES = """
_first, _fitted = [True], [False]
_real_forward, _real_fit = _TutorialCNN.forward, fit

def fit(model, train_loader):
    _fitted[0] = True
    _real_fit(model, train_loader)

def _forward(self, x):
    if _first[0] and _fitted[0] and not self.training:  # the first held-out batch
        _first[0] = False
        import time
        end = time.process_time() + 30
        while time.process_time() < end:  # 30 s of "training" (CPU) hidden in evaluation
            pass
    return _real_forward(self, x)

_TutorialCNN.forward = _forward
"""


def test_training_cannot_hide_in_the_evaluation(tmp_path):
    from tests.helpers import grade

    source = (SOLUTIONS_DIR / "08_train_digits.py").read_text()
    source = source.replace("    for _ in range(2):", "    for _ in range(0):") + _SLOW_SCORES
    (tmp_path / "08_train_digits.py").write_text(source)
    started = time.monotonic()
    result = grade(tmp_path, "train_digits").exercises["train_digits"]
    assert result.score == 0
    assert "scoring the held-out digits did not finish within 10 s" in result.checks[0].message
    assert time.monotonic() - started < 200  # stopped at 10 s of CPU, not after 30


@pytest.mark.parametrize("verdict", CAPPED, ids=lambda v: v.name)
def test_tampering_with_the_driver_wins_at_most_the_worker_only_point(
    verdict, tmp_path, grading_key
):
    honest = _verdict_score(tmp_path / "honest", verdict, verdict.honest(), grading_key)
    attack = _verdict_score(
        tmp_path / "attack", verdict, verdict.source(str(PROJECT_ROOT)), grading_key
    )
    print(f"{verdict.name}: honest {honest:g}, attack {attack:g}")
    assert honest <= attack <= honest + 1


def test_training_moved_into_scoring_is_charged_to_the_budget(tmp_path):
    """Red team, 2026-11-27: a fit that only keeps the loader, and a model that trains at its first
    scoring call. The budget now counts loading, fit and scoring: the training time shows."""
    import re

    from grader.checking.runner import run_checks
    from grader.workbook.catalog import exercise_by_id
    from tests.verdict_attacks import LAZY_FIT

    source = (SOLUTIONS_DIR / "08_train_digits.py").read_text() + LAZY_FIT
    (tmp_path / "08_train_digits.py").write_text(source)
    exercise = exercise_by_id("train_digits")
    result = run_checks(submission=tmp_path, exercises=[exercise]).exercises["train_digits"]
    note = result.checks[0].message
    pattern = r"took (\S+) s of CPU .*with scoring, (\S+) s of CPU"
    found = re.search(pattern, note)
    assert found, note
    fit_cpu, total_cpu = float(found.group(1)), float(found.group(2))
    assert total_cpu >= fit_cpu + 1, note  # the two epochs trained while scoring are charged


_FORKED_WORK = """
import os as _os, time as _t
_child = _os.fork()
if _child == 0:
    _end = _t.process_time() + 1.5
    while _t.process_time() < _end:  # training in a child, which then exits
        pass
    _os._exit(0)
# waits for the child's end without reaping it (WNOWAIT): a zombie has left the pids cgroup;
# waiting for the end, not sleeping, keeps the test true on a loaded machine
_os.waitid(_os.P_PID, _child, _os.WEXITED | _os.WNOWAIT)
"""


def test_cpu_of_children_that_exited_unreaped_is_counted(tmp_path):
    """Red team, 2026-11-27: a child's CPU time was lost once it exited without being waited for
    (11 s of training reported as 1 s). Its /proc entry stays until it is reaped."""
    from grader.checking.submission import Submission
    from grader.supervisor.pool import WorkerPool
    from grader.workbook.catalog import exercise_by_id

    source = (SOLUTIONS_DIR / "08_train_digits.py").read_text() + _FORKED_WORK
    (tmp_path / "08_train_digits.py").write_text(source)
    pool = WorkerPool()
    submission = Submission(exercise_by_id("train_digits"), tmp_path, pool)
    try:
        submission.drive("build")
        used = submission.usage()
    finally:
        submission.close()
        pool.close()
    assert used["cpu"] >= 1.4, used


_REAPED_UNSEEN = """
import os as _os, signal as _signal, time as _t
_signal.signal(_signal.SIGCHLD, _signal.SIG_IGN)  # the kernel reaps the child: no one's counters
_child = _os.fork()
if _child == 0:
    _end = _t.process_time() + 1.5
    while _t.process_time() < _end:
        pass
    _os._exit(0)
while _os.path.exists(f"/proc/{_child}"):  # gone, reaped by the kernel
    _t.sleep(0.05)
"""


def test_cpu_of_a_child_the_kernel_reaped_unseen_is_counted(tmp_path):
    """Red team, issue 21's round: a child forked with SIGCHLD ignored is reaped by the kernel and
    its CPU time reaches no parent's counters (3.5 s used, 0 s reported). The worker's cgroup
    keeps it (cpuacct in cgroup v1, the cpu group's cpu.stat in v2)."""
    from grader.checking.submission import Submission
    from grader.supervisor.pool import WorkerPool
    from grader.wire.cgroup_places import cpu_group_parents, cpuacct_group_parents
    from grader.workbook.catalog import exercise_by_id

    if os.geteuid() != 0 or not (cpuacct_group_parents() or cpu_group_parents()):
        pytest.skip("no cgroup keeps a worker's CPU time on this host (docs/security.md)")
    source = (SOLUTIONS_DIR / "08_train_digits.py").read_text() + _REAPED_UNSEEN
    (tmp_path / "08_train_digits.py").write_text(source)
    pool = WorkerPool()
    submission = Submission(exercise_by_id("train_digits"), tmp_path, pool)
    try:
        submission.drive("build")
        used = submission.usage()
    finally:
        submission.close()
        pool.close()
    assert used["cpu"] >= 1.4, used


# -- issue 21: the reference is unlocked by the learner's own exercises/ only ---------------------


def test_a_friends_passing_folder_does_not_unlock_the_reference(tmp_path, monkeypatch):
    """`grader check --submission FRIEND` then `grader solution ID` used to show the reference,
    with no give-up recorded."""
    from click.testing import CliRunner

    from grader.cli import main
    from grader.workbook import state
    from grader.workbook.paths import SOLUTIONS_DIR

    monkeypatch.setattr(state, "STATE_FILE", tmp_path / "state" / "state.json")
    friend = tmp_path / "friend"
    friend.mkdir()
    reference = (SOLUTIONS_DIR / "02_count_parameters.py").read_text()
    (friend / "02_count_parameters.py").write_text(reference)
    runner = CliRunner()
    checked = runner.invoke(main, ["check", "count_parameters", "--submission", str(friend)])
    assert checked.exit_code == 0, checked.output  # the friend's file passes
    shown = runner.invoke(main, ["solution", "count_parameters"])
    assert shown.exit_code == 1 and "own exercises/" in shown.output
    assert "numel()" not in shown.output  # no line of the reference
    assert state.marked("passed") == set() and state.marked("gave_up") == set()


# -- issue 21: GitHub Classroom, a `grader/` committed in the student's repository ---------------

FORGED_CLASSROOM = """
import base64, json, os
test = {"name": "all", "status": "pass", "score": 145, "message": "", "line_no": 0}
result = {"version": 1, "status": "pass", "max_score": 145, "tests": [test]}
with open(os.environ["GITHUB_OUTPUT"], "a") as handle:
    handle.write("result=" + base64.b64encode(json.dumps(result).encode()).decode() + "\\n")
"""
SHADOWS = {
    "grader/__init__.py": "",
    "grader/exports/__init__.py": "",
    "grader/exports/classroom/__init__.py": "",
    "grader/exports/classroom/workflow.py": FORGED_CLASSROOM,
    "pip/__init__.py": "",
    "pip/__main__.py": "raise SystemExit('the repository's pip ran')",
    "sitecustomize.py": "raise SystemExit('the repository's sitecustomize ran')",
}
BEFORE_THE_FIX = "python -m grader.exports.classroom.workflow exercises"  # issue 21's run line


def test_a_grader_committed_in_the_classroom_repository_is_never_imported(tmp_path):
    """The stubs and a forged `grader/` (and `pip/`, `sitecustomize.py`): 145/145 when the step
    ran `python -m` in the repository root; the stubs' 0 with the workflow's run line."""
    from tests.helpers import write_stubs
    from tests.test_classroom import run_grading_step

    stubs = tmp_path / "stubs"
    write_stubs(stubs)
    results, points, max_points, log = run_grading_step(tmp_path / "after", stubs, SHADOWS)
    assert (points, max_points) == (0, 145) and "Total: 0 / 145 points" in log
    _, before, _, _ = run_grading_step(tmp_path / "before", stubs, SHADOWS, BEFORE_THE_FIX)
    print(f"classroom: stubs and a committed grader/: {before:g}/145 before, {points:g} after")
    assert before == 145  # the attack, as it worked before
    repo = tmp_path / "after" / "repo"
    for step in ("python -I -m pip --version", "python -m pip --version"):
        done = subprocess.run(
            [sys.executable, *step.split()[1:]], cwd=repo, capture_output=True, text=True
        )
        shadowed = "the repository's" in done.stderr
        assert shadowed == ("-I" not in step), (step, done.stderr[-500:])  # its pip steps use -I


def test_grade_flags_a_classroom_repository_whose_workflow_or_grader_differs(tmp_path):
    """The trusted path: the instructor clones the class and runs `grader grade`, which runs none
    of the repository's grader and flags a workflow, grader or checks that differ from the
    template; an untouched clone gets no such flag."""
    import json

    from grader.reports.classroom_workflow import workflow_yaml
    from grader.workbook.paths import SOLUTIONS_DIR

    edge = "01_edge_filter.py"
    batch = tmp_path / "batch"
    for student in ("honest", "forger"):
        repo = batch / student
        (repo / "exercises").mkdir(parents=True)
        (repo / ".github" / "workflows").mkdir(parents=True)
        (repo / ".github" / "workflows" / "classroom.yml").write_text(
            workflow_yaml(grader_repo="prof/cnn-grader@v2")
        )
    (batch / "honest" / "exercises" / edge).write_text((SOLUTIONS_DIR / edge).read_text())
    forger = batch / "forger"
    (forger / "exercises" / edge).write_text(
        "def edge_filter(image):\n    raise NotImplementedError\n"
    )
    workflow = forger / ".github" / "workflows" / "classroom.yml"
    workflow.write_text(workflow.read_text().replace("python -I -m grader", "python -m grader"))
    for name, text in SHADOWS.items():
        (forger / name).parent.mkdir(parents=True, exist_ok=True)
        (forger / name).write_text(text)
    (forger / ".github" / "workflows" / "extra.yml").write_text("on: push\n")
    out = tmp_path / "out"
    done = subprocess.run(
        [str(Path(sys.executable).with_name("grader")), "grade", str(batch), "--out", str(out)]
        + ["--only", "edge_filter"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    grades = {
        s["student"]: s["total"] for s in json.loads((out / "grades.json").read_text())["students"]
    }
    assert grades["forger"] == 0 and grades["honest"] > 0  # its grader/ ran nowhere
    flags = json.loads((out / "review.json").read_text())["flags"]
    found = {(f["student"], f["kind"], f["file"]) for f in flags}
    assert ("forger", "classroom_workflow", ".github/workflows/classroom.yml") in found
    assert ("forger", "classroom_workflow", ".github/workflows/extra.yml") in found
    assert ("forger", "grader_files", "grader/exports/classroom/workflow.py") in found
    assert ("forger", "grader_files", "sitecustomize.py") in found
    kinds = {"classroom_workflow", "grader_files"}
    assert not [f for f in flags if f["student"] == "honest" and f["kind"] in kinds], flags


# -- issue 21: a copy padded with no-ops and reordered --------------------------------------------


def test_a_copy_padded_with_no_ops_and_reordered_is_listed_with_its_pair(tmp_path):
    """`_ = 0` after every statement and the functions reordered took a copy from 1.00 to
    0.17-0.49, under the threshold; the normalised tree and the shorter file's share list it."""
    import json

    from grader.review.normalise import defined_names
    from grader.workbook.paths import SOLUTIONS_DIR
    from tests.evasions import evade
    from tests.helpers import stub_text

    names = ("01_edge_filter.py", "05_training_step.py")
    batch = tmp_path / "batch"
    for student in ("alice", "bob"):
        (batch / student).mkdir(parents=True)
    for name in names:
        reference = (SOLUTIONS_DIR / name).read_text()
        api = defined_names(stub_text(name))
        (batch / "alice" / name).write_text(reference)
        (batch / "bob" / name).write_text(evade(reference, "noop_lines_reordered", api))
    out = tmp_path / "out"
    done = subprocess.run(
        [str(Path(sys.executable).with_name("grader")), "grade", str(batch), "--out", str(out)]
        + ["--only", "edge_filter", "--only", "training_step"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    pairs = json.loads((out / "review.json").read_text())["similarity"]["pairs"]
    (pair,) = [p for p in pairs if {p["a"], p["b"]} == {"alice", "bob"}]
    print(f"padded and reordered copy: {pair['files']}")
    assert all(pair["files"][name] >= 0.9 for name in names)
    grades = {
        s["student"]: s["total"] for s in json.loads((out / "grades.json").read_text())["students"]
    }
    assert grades["alice"] == grades["bob"]  # the copy works: it earns what the original earns


def test_a_copy_behind_72_kb_of_comments_or_no_ops_is_still_compared():
    """Red team: 72 KB of comments put before a copy pushed it past the 64 KiB the similarity
    pass read ("compared on its first 65,536 chars"), so no pair was listed."""
    from grader.review.similarity import SCORE_LIMIT, TEXT_LIMIT, similar_pairs
    from grader.workbook.paths import SOLUTIONS_DIR
    from tests.helpers import stub_text

    name = "01_edge_filter.py"
    reference = (SOLUTIONS_DIR / name).read_text()
    for pad in ("# " + "x" * 70 + "\n", "_ = 0\n"):
        copy = pad * (72 * 1024 // len(pad)) + reference
        assert TEXT_LIMIT < len(copy) < SCORE_LIMIT
        found = similar_pairs(
            {"alice": {"edge_filter": reference}, "bob": {"edge_filter": copy}},
            {"edge_filter": stub_text(name)},
            {"edge_filter": name},
            0.5,
        )
        (pair,) = found.pairs
        assert pair.score >= 0.9, (pad, pair.score)
        assert all(len(t) <= TEXT_LIMIT for f in pair.files for t in f.texts)


def test_the_class_template_is_what_most_repositories_hold(tmp_path):
    """A handout's recorded values (checks/expected/) and a workflow another grader version
    wrote are the class's template when most repositories hold them: only the one that differs
    from them is flagged."""
    from grader.reports.classroom_workflow import workflow_yaml
    from grader.review.repository import class_findings

    template = workflow_yaml(grader_repo="prof/cnn-grader").replace("Grades the", "Grade the")
    folders = {}
    for student in ("a", "b", "c", "d"):
        repo = folders.setdefault(student, tmp_path / student)
        (repo / ".github" / "workflows").mkdir(parents=True)
        (repo / ".github" / "workflows" / "classroom.yml").write_text(template)
        (repo / "checks" / "expected").mkdir(parents=True)
        (repo / "checks" / "expected" / "edge_filter.pt").write_bytes(b"recorded values")
    (tmp_path / "d" / "checks" / "expected" / "edge_filter.pt").write_bytes(b"forged values")
    found = class_findings(folders)
    assert found["a"] == found["b"] == found["c"] == []
    assert found["d"] == [
        (
            "grader_files",
            "holds checks/expected/edge_filter.pt, which this copy has not",
            "checks/expected/edge_filter.pt",
        )
    ]
    alone = class_findings({"a": folders["a"]})["a"]  # one repository: judged against this copy
    assert {f[0] for f in alone} == {"classroom_workflow", "grader_files"}


# -- issue 21: exercise 08's points need fit to have learned; CPU shared fairly in a batch ------


@pytest.fixture(scope="module")
def trained_weights() -> str:
    """The reference's model trained at home, recorded once (training it here cost 20-50 CPU s):
    tests/recorded/trained_weights.b64, made by `tests.training_attacks.trained_weights()` with one
    thread. That it still recognises today's digits is checked where it is used: the public run
    of `build_model_loads` must say "already recognises digits", `fit_loads_after_a_step` 20/20."""
    return (Path(__file__).parent / "recorded" / "trained_weights.b64").read_text().strip()


def _train_digits(folder: Path, source: str, key: Path | None):
    from grader.checking.runner import run_checks
    from grader.workbook.catalog import exercise_by_id

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "08_train_digits.py").write_text(source)
    args = [f"--grading-key-file={key}"] if key else []
    exercise = exercise_by_id("train_digits")
    return run_checks(submission=folder, exercises=[exercise], pytest_args=args).exercises[
        "train_digits"
    ]


@pytest.mark.slow
@pytest.mark.parametrize("attack", ["build_model_loads", "fit_loads", "fit_loads_after_a_step"])
def test_weights_trained_elsewhere_earn_nothing(attack, tmp_path, grading_key, trained_weights):
    """Issue 21: weights trained at home, stored as base64, loaded by build_model (fit doing
    nothing: 20/20 in a graded run) or by fit. A graded run permutes each glyph's label by its key,
    so only what fit learns from the digits it is given scores (the honest untrained model: 0).
    In `grader check` (the digits' own labels) the fresh model must be near chance and fit must
    have trained: only a fit that takes a real step first and then loads wins there, where the
    learner fools only themselves."""
    from tests.training_attacks import weights_attack

    source = weights_attack(attack, trained_weights)
    graded = _train_digits(tmp_path / "graded", source, grading_key)
    public = _train_digits(tmp_path / "public", source, None)
    print(f"{attack}: graded {graded.score:g}, public {public.score:g}")
    assert graded.score == 0, graded.checks[0].message
    message = public.checks[0].message
    if attack == "build_model_loads":
        assert public.score == 0 and "already recognises digits" in message, message
    elif attack == "fit_loads":
        assert public.score == 0 and "no backward pass" in message, message
    else:
        assert public.score == 20, message  # not defended in the public run (docs/security.md)


@pytest.mark.slow
def test_a_fit_that_adapts_weights_trained_elsewhere_to_the_labels_is_not_defended(
    tmp_path, grading_key, trained_weights
):
    """Written down as not defended (docs/security.md): fit loads the weights, learns from the
    training digits only which label each glyph was given, and takes a token step. The review
    flags the embedded weights; the grade cannot tell this from learning."""
    from tests.training_attacks import weights_attack

    source = weights_attack("fit_adapts_the_labels", trained_weights)
    graded = _train_digits(tmp_path / "graded", source, grading_key)
    assert graded.score == 20, graded.checks[0].message


@pytest.mark.slow
def test_a_batch_mates_setsid_processes_cost_the_victim_nothing(tmp_path):
    """Issue 21: a batch-mate starts 31 busy processes in sessions of their own at import of 01 and
    02, graded beside an honest student (`--workers 2` on 2 cores): its processes share one
    worker's part of the machine (its cpu cgroup), and 08's budget is CPU time, so the victim keeps
    full points (before: its 08 "took 81 s of wall time", 0/20)."""
    from tests.training_attacks import SETSID_HOG

    batch = tmp_path / "batch"
    names = ("01_edge_filter.py", "02_count_parameters.py", "08_train_digits.py")
    for student in ("hog", "victim"):
        (batch / student).mkdir(parents=True)
        for name in names:
            text = (SOLUTIONS_DIR / name).read_text()
            hog = student == "hog" and not name.startswith("08")
            (batch / student / name).write_text(text + (SETSID_HOG if hog else ""))
    only = ["--only", "edge_filter", "--only", "count_parameters", "--only", "train_digits"]
    done = subprocess.run(
        [GRADER, "grade", str(batch), "--out", str(tmp_path / "out"), *only, "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=PROJECT_ROOT,
    )
    assert done.returncode in (0, 1), done.stderr
    students = {
        s["student"]: s
        for s in json.loads((tmp_path / "out" / "grades.json").read_text())["students"]
    }
    victim = students["victim"]["exercises"]
    print(victim["train_digits"]["checks"][0]["message"])
    for exercise in victim.values():
        assert exercise["score"] == exercise["max_score"], exercise


REACH_KEPT_ZYGOTE = """
import socket


def reach(path):
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        sock.connect(path)
    except OSError as exc:
        return type(exc).__name__
    return "connected"
"""


def test_the_kept_zygote_is_reached_by_no_worker_and_no_other_user(tmp_path_factory, monkeypatch):
    """The zygote `grader check` keeps between commands listens on a named socket: a worker it
    forked tries to connect to it (to ask for a worker not yet locked down), and so does
    another user's process; neither connects, and a connection from another uid is closed
    unread (SO_PEERCRED), even where the folder would let it through."""
    from grader.supervisor import kept_zygote
    from grader.supervisor.process import Worker
    from grader.wire import protocol
    from grader.workbook import zygote_place
    from grader.worker.kept_zygote import peer_is_us

    folder = tmp_path_factory.mktemp("kz") / "zygotes"
    monkeypatch.setenv(zygote_place.FOLDER_VARIABLE, str(folder))
    monkeypatch.delenv(zygote_place.NO_KEEP_VARIABLE, raising=False)
    zygote = kept_zygote.connect()
    assert zygote is not None
    [path] = [str(p) for p in folder.glob("zygote-*.sock")]
    source = tmp_path_factory.mktemp("kz-src") / "reach.py"
    source.write_text(REACH_KEPT_ZYGOTE)
    worker = Worker((), zygote=zygote)
    try:
        assert worker.request(worker.load_request(source, "reach"), timeout=120) == {"ok": True}
        call = {"op": "call", "function": "reach", "return_args": False, "seed": 0}
        call |= {"args": protocol.encode([path]), "kwargs": protocol.encode({})}
        reply = worker.request(call, timeout=120)
        assert protocol.decode(reply["value"]) in ("PermissionError", "FileNotFoundError"), reply
    finally:
        worker.close()
        zygote.close()
        for pid in kept_zygote.running_zygotes(folder):
            os.kill(pid, 9)
    if os.geteuid() != 0:
        return  # giving a process another uid needs root
    open_folder = Path(tempfile.mkdtemp(prefix="cnn-kz-open-", dir="/tmp"))  # pytest's is 0700
    open_folder.chmod(0o777)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(str(open_folder / "z.sock"))
    os.chmod(open_folder / "z.sock", 0o777)
    listener.listen()
    child = os.fork()
    if child == 0:  # another user: the private folder stops it; an open one would not
        try:
            os.setgid(65534)
            os.setuid(65534)
            outcomes = []
            for target in (path, str(open_folder / "z.sock")):
                try:
                    socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET).connect(target)
                    outcomes.append(0)
                except PermissionError:
                    outcomes.append(1)
            os._exit(outcomes[0] * 2 + outcomes[1])  # 2: refused there, connected here
        finally:
            os._exit(9)
    try:
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 2
        listener.settimeout(5)
        connection, _ = listener.accept()
        assert not peer_is_us(connection)  # and the zygote closes it unread
        connection.close()
    finally:
        listener.close()
        shutil.rmtree(open_folder)

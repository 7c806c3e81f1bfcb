"""A class exported the way course sites export it (Canvas, Moodle, Blackboard, Gradescope, plain
folders and archives), each entry with the row and the note it must get when graded with
`--only edge_filter --only count_parameters` (25 and 12 points)."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from pathlib import Path

from grader.workbook.catalog import load_catalog
from grader.workbook.paths import SOLUTIONS_DIR
from tests.helpers import stub_text

ONLY = ["--only", "edge_filter", "--only", "count_parameters"]
EDGE, COUNT = "01_edge_filter.py", "02_count_parameters.py"
WRONG_COUNT = (
    "def simple_cnn_param_count():\n    return 26138\n"
    "def linear_param_count(in_features, out_features, bias=True):\n    return -1\n"
)


def ref(name: str) -> str:
    return (SOLUTIONS_DIR / name).read_text()


def stub(name: str) -> str:
    return stub_text(name)


def _files(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def _zip(path: Path, files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, text in files.items():
            zipped.writestr(name, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def _tar(path: Path, files: dict[str, str]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


# student -> (edge_filter, count_parameters, a piece of the note ("" : no note), site id)
EXPECTED: dict[str, tuple[int, int, str, str]] = {
    "Fatima Al-Sayed (48213)": (
        25,
        12,
        "graded 2 files in cnn_workbook.zip/cnn_workbook/",
        "48213",
    ),
    "carl": (
        25,
        12,
        "graded 01_Edge_Filter.py as 01_edge_filter.py; graded "
        "02_count_parameters (1).py as 02_count_parameters.py",
        "",
    ),
    "dina": (25, 0, "graded exercises/01_edge_filter.py; ignored backup/01_edge_filter.py", ""),
    "gus": (25, 0, "graded gus.zip/gus/01_edge_filter.py; skipped 2100 other file(s) unread", ""),
    "hana": (0, 12, "graded hana.tgz/hana/02_count_parameters.py", ""),
    "ivan": (25, 0, "graded ivan.tar.gz/exercises/01_edge_filter.py", ""),
    "smithjohn (12345)": (
        25,
        12,
        "graded 02_count_parameters-1.py as 02_count_parameters.py",
        "12345",
    ),
    "doejane (23456)": (25, 12, "graded 2 files in cnn_workbook.zip/", "23456"),
    "Li Wei (50001)": (25, 0, "", "50001"),
    "kpatel": (25, 0, "", "kpatel"),
    "s777": (0, 12, "", "777"),
    "lena": (25, 0, "graded lena.zip/lena/01_edge_filter.py", ""),
    "mona": (25, 0, "01_edge_filter.ipynb: not a notebook (no list of cells), not graded", ""),
    "nina": (25, 0, "graded nina.zip/inner.zip/01_edge_filter.py", ""),
    "oscar": (25, 0, "graded 01_edge_filter copy.py as 01_edge_filter.py", ""),
    "paula": (0, 0, "", ""),
    "quinn": (0, 1, "", ""),
    "rosa": (25, 0, "graded b/01_edge_filter.py; ignored a/01_edge_filter.py", ""),
    "sam": (
        25,
        0,
        "graded 01_edge_filter.py; ignored exercises/01_edge_filter.py (the stub as handed out",
        "",
    ),
    "tara": (25, 12, "", ""),
    "uma": (0, 0, "uma.zip is not a readable zip archive", ""),
    "victor": (0, 0, "no exercise files (NN_<id>.py) were found", ""),
}


def make_site_class(batch: Path) -> dict[str, tuple[int, int, str, str]]:
    """Write the class into `batch` (created); return EXPECTED."""
    batch.mkdir(parents=True)
    everything = {f"cnn_workbook/{e.filename}": ref(e.filename) for e in load_catalog()}
    moodle = batch / "Fatima Al-Sayed_48213_assignsubmission_file_"
    _zip(
        moodle / "cnn_workbook.zip",
        {
            **everything,
            "__MACOSX/cnn_workbook/._01_edge_filter.py": b"\x00\x05\x16\x07 resource fork",
        },
    )
    _files(
        batch / "carl", {"01_Edge_Filter.py": ref(EDGE), "02_count_parameters (1).py": ref(COUNT)}
    )
    _files(
        batch / "dina",
        {"backup/01_edge_filter.py": stub(EDGE), "exercises/01_edge_filter.py": ref(EDGE)},
    )
    _zip(
        batch / "gus.zip",
        {
            "gus/01_edge_filter.py": ref(EDGE),
            **{f"gus/data/{i:04d}.npy": b"\x93NUMPY" * 10 for i in range(2100)},
        },
    )
    _tar(batch / "hana.tgz", {"hana/02_count_parameters.py": ref(COUNT)})
    _tar(batch / "ivan.tar.gz", {"exercises/01_edge_filter.py": ref(EDGE)})
    _files(
        batch,
        {
            "smithjohn_late_12345_67890_01_edge_filter.py": ref(EDGE),
            "smithjohn_late_12345_67890_02_count_parameters-1.py": ref(COUNT),
        },
    )
    _zip(batch / "doejane_23456_78901_cnn_workbook.zip", {EDGE: ref(EDGE), COUNT: ref(COUNT)})
    _files(batch / "Li Wei_50001_assignsubmission_file_", {EDGE: ref(EDGE)})
    _files(
        batch,
        {
            "Lab 3_kpatel_attempt_2026-11-02-10-31-07_01_edge_filter.py": ref(EDGE),
            "Lab 3_kpatel_attempt_2026-11-02-10-31-07.txt": "Name: K Patel (kpatel)\n",
        },
    )
    _files(batch / "submission_777", {COUNT: ref(COUNT)})
    (batch / "submission_metadata.yml").write_text(
        "submission_777:\n  :submitters:\n  - :name: S Seven\n    :sid: s777\n"
        "    :email: s7@example.edu\n"
    )
    _zip(
        batch / "lena.zip",
        {
            "__MACOSX/lena/._01_edge_filter.py": b"\x00\x05\x16\x07",
            "lena/01_edge_filter.py": ref(EDGE),
            "lena/__pycache__/01_edge_filter.cpython-311.pyc": b"\x00",
        },
    )
    _files(
        batch / "mona",
        {
            EDGE: ref(EDGE),
            "01_edge_filter.ipynb": "{}",
            ".ipynb_checkpoints/01_edge_filter-checkpoint.py": stub(EDGE),
        },
    )
    inner = _zip(batch / "tmp-inner.zip", {EDGE: ref(EDGE)})
    (batch / "tmp-inner.zip").unlink()
    _zip(batch / "nina.zip", {"inner.zip": inner})
    _files(batch / "oscar", {"01_edge_filter copy.py": ref(EDGE)})
    _files(batch / "paula", {EDGE: stub(EDGE), COUNT: stub(COUNT)})
    _files(batch / "quinn", {COUNT: WRONG_COUNT})
    _files(batch / "rosa", {"a/01_edge_filter.py": stub(EDGE), "b/01_edge_filter.py": ref(EDGE)})
    os.utime(batch / "rosa" / "a" / EDGE, (1_600_000_000, 1_600_000_000))  # the older one
    _files(batch / "sam", {EDGE: ref(EDGE), "exercises/01_edge_filter.py": stub(EDGE)})
    _files(batch / "tara", {EDGE: ref(EDGE), COUNT: ref(COUNT)})
    (batch / "uma.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (batch / "victor").mkdir()
    return EXPECTED

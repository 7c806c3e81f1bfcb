"""Gradescope: the autograder bundle (`grader export gradescope OUT.zip`) and what it runs.

Gradescope unpacks the bundle into `/autograder/source`, runs `setup.sh` once as root to build
the image, then, in a fresh container per submission, `run_autograder`, which runs
`python -m grader.exports.gradescope.autograder /autograder`: the submission in
`/autograder/submission` is graded exactly as `grader grade` grades one student (same worker,
same lock-down, plus an unprivileged user, since nothing else there keeps student code from the
root-owned `results.json`) and `/autograder/results/results.json` is written in Gradescope's
format, even when grading fails.
"""

from __future__ import annotations

import json
import sys
import time
import zipfile
from pathlib import Path

from grader.workbook.catalog import load_catalog
from grader.workbook.exercise_folder import GRADING_PARTS
from grader.workbook.paths import PROJECT_ROOT

WORKER_USER = "cnn-student"

SETUP_SH = f"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
set -euo pipefail
SOURCE=/autograder/source
apt-get update -q
apt-get install -y -q python3 python3-venv python3-pip
python3 -m venv /autograder/venv
# The CPU build of torch: Gradescope's machines have no GPU, and it is a tenth of the size.
/autograder/venv/bin/pip install -q --index-url https://download.pytorch.org/whl/cpu \\
  torch torchvision
/autograder/venv/bin/pip install -q -e "$SOURCE"
# Student code runs as this user, which can read neither the source (the references) nor the
# results.
id -u {WORKER_USER} >/dev/null 2>&1 || \\
  useradd --system --no-create-home --shell /usr/sbin/nologin {WORKER_USER}
chmod 700 "$SOURCE"
"""

RUN_AUTOGRADER = f"""#!/usr/bin/env bash
# Gradescope runs this, as root, for each submission: it grades /autograder/submission and writes
# /autograder/results/results.json. AUTOGRADER_ROOT and GRADER_PYTHON exist for the grader's tests.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
export CNN_GRADER_WORKER_USER="${{CNN_GRADER_WORKER_USER-{WORKER_USER}}}"
RESULTS="$ROOT/results/results.json"
rm -f "$RESULTS"
cd "$ROOT/source" && \\
  "${{GRADER_PYTHON:-$ROOT/venv/bin/python}}" -m grader.exports.gradescope.autograder "$ROOT"
STATUS=$?
if [ ! -s "$RESULTS" ]; then
  # The grader could not even start (a Python it does not support, a broken install): say so
  # to the student and the instructor, loudly, instead of leaving Gradescope without results.
  mkdir -p "$ROOT/results"
  MESSAGE="The autograder failed to start (exit code $STATUS); please tell your instructor."
  echo '{{"score": 0, "visibility": "visible", "tests": [], "output": "'"$MESSAGE"'"}}' \\
    > "$RESULTS"
  echo "run_autograder: the grader failed to start (exit code $STATUS);" \\
    "wrote a failed results.json" >&2
  exit 1
fi
exit $STATUS
"""

# What of the project the bundle carries: the grader, the checks and their references, the
# stubs, and what `pip install -e` needs.
_BUNDLED = [
    "grader/**/*.py",
    *(f"checks/*/{part}" for part in GRADING_PARTS),
    "solutions/*.py",
    "exercises/*.py",
    "workbook.toml",
    "pyproject.toml",
    "README.md",
    "docs/spec.md",
]


def build_bundle(out: Path, key: str | None = None) -> list[str]:
    """Write the autograder zip to `out`; return the names it holds. It carries the grading key
    (`key`, else a new one): the secret inputs of every submission's run. Students cannot read it
    (the source folder is root's, mode 700)."""
    import secrets

    from grader.workbook.grading_key import KEY_FILE, parse_key

    key_text = (parse_key(key) if key else secrets.token_bytes(32)).hex() + "\n"
    names: list[str] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o100755 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, text)
            names.append(name)
        info = zipfile.ZipInfo(KEY_FILE, date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = 0o100600 << 16
        bundle.writestr(info, key_text)
        names.append(KEY_FILE)
        for pattern in _BUNDLED:
            for path in sorted(PROJECT_ROOT.glob(pattern)):
                name = path.relative_to(PROJECT_ROOT).as_posix()
                bundle.write(path, name)
                names.append(name)
    return names


def _uploaded(folder: Path) -> Path:
    """The submission folder, or the one .zip in it when that is all a student uploaded."""
    try:
        children = [c for c in folder.iterdir() if not c.name.startswith((".", "__"))]
    except OSError:
        return folder
    if len(children) == 1 and children[0].suffix.lower() == ".zip" and children[0].is_file():
        return children[0]
    return folder


def grade_autograder_root(root: Path) -> dict:
    """Grade `root/submission` into `root/results/results.json` (atomically); return what was
    written."""
    from grader.commands.batch import grade_entry
    from grader.exports.gradescope.results import results_json
    from grader.workbook.files import atomic_write
    from grader.workbook.grading_key import KEY_FILE
    from grader.workbook.intake import Entry
    from grader.workbook.run_settings import CheckSettings

    started = time.monotonic()
    ids = [e.id for e in load_catalog()]
    settings = CheckSettings(key_file=root / "source" / KEY_FILE)  # a bundle without one fails
    record = grade_entry(Entry("submission", _uploaded(root / "submission")), ids, settings)
    results = results_json(record, time.monotonic() - started)
    atomic_write(root / "results" / "results.json", json.dumps(results, indent=1) + "\n")
    return results


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "/autograder")
    try:
        results = grade_autograder_root(root)
    except Exception as exc:  # noqa: BLE001 - Gradescope must always get a results.json
        results = {
            "score": 0,
            "output": f"The autograder failed ({type(exc).__name__}: {exc}); "
            "please tell your instructor.",
            "visibility": "visible",
            "tests": [],
        }
        (root / "results").mkdir(parents=True, exist_ok=True)
        (root / "results" / "results.json").write_text(json.dumps(results, indent=1) + "\n")
        print(results["output"], file=sys.stderr)
        return 1
    print(results["output"])
    return 0


def run_export(out: Path, key: str | None = None) -> None:
    """`grader export gradescope OUT`."""
    import click

    from grader.workbook.paths import HANDOUT_REFUSAL, is_handout

    if is_handout():
        raise click.ClickException(HANDOUT_REFUSAL)
    names = build_bundle(out, key)
    click.echo(
        f'wrote {out} ({len(names)} files): upload it as a Gradescope "zip file upload" autograder'
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

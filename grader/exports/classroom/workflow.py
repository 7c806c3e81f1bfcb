"""GitHub Classroom: `grader export github-classroom DIR` writes
DIR/.github/workflows/classroom.yml, and the workflow's grading step runs this module:

    cd "$RUNNER_TEMP" &&
    python -I -m grader.exports.classroom.workflow "$GITHUB_WORKSPACE/exercises"

(`-I` and a folder outside the repository: a `grader/` the student commits is never imported.)
It grades the repository's exercises exactly as `grader grade` grades one student (the same
locked-down worker), prints the scores and failed checks to the step's log, and writes the
runner result (`results.py` beside this module) base64-encoded as the step output `result`,
which the reporter step reads from `CNNWORKBOOK_RESULTS`. `--json FILE` also writes it as plain
JSON.
"""

from __future__ import annotations

import base64
import json
import os
import re
import sys
import time
from pathlib import Path

from grader.reports.classroom_workflow import workflow_yaml
from grader.workbook.catalog import load_catalog

MESSAGE_CHARS = 2000  # a step output holds at most 1 MB; 70 checks x 2,000 characters fit


def write_workflow(folder: Path, **options: object) -> Path:
    from grader.workbook.files import atomic_write

    path = folder / ".github" / "workflows" / "classroom.yml"
    atomic_write(path, workflow_yaml(**options))  # type: ignore[arg-type]
    return path


def _grade(submission: Path) -> tuple[dict, list[str]]:
    """The runner result and the log lines; an error result when the grader fails."""
    from grader.commands.batch import grade_entry
    from grader.exports.classroom.results import error_json, runner_json, summary_lines
    from grader.workbook.intake import Entry
    from grader.workbook.run_settings import CheckSettings

    started = time.monotonic()
    ids = [e.id for e in load_catalog()]
    try:
        record = grade_entry(Entry("submission", submission), ids, CheckSettings())
    except Exception as exc:  # noqa: BLE001 - the reporter must always get a result
        total = sum(e.points for e in load_catalog())
        message = f"The grader failed ({type(exc).__name__}: {exc}); tell your instructor."
        return error_json(message, total), [message]
    results = runner_json(record, time.monotonic() - started)
    for test in results["tests"]:
        test["message"] = test["message"][:MESSAGE_CHARS]
    return results, summary_lines(record)


def encode(results: dict) -> str:
    """What the step output holds: the JSON, base64 (the reporter decodes it so)."""
    return base64.b64encode(json.dumps(results).encode("utf-8")).decode("ascii")


def main(argv: list[str]) -> int:
    args = list(argv)
    json_out = None
    if "--json" in args:
        at = args.index("--json")
        json_out = Path(args[at + 1])
        del args[at : at + 2]
    submission = Path(args[0] if args else "exercises")
    results, lines = _grade(submission)
    print("\n".join(lines))
    if json_out is not None:
        json_out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as handle:
            handle.write(f"result={encode(results)}\n")
    elif json_out is None:
        print(json.dumps(results, indent=1))
    return 1 if results["status"] == "error" else 0


# What each option may hold: it is written into the YAML unquoted.
_OPTION_RULES = {
    "--python": re.compile(r"\d+(\.\d+){0,2}"),
    "--exercises": re.compile(r"[\w.-]+(/[\w.-]+)*"),
    "--grader-repo": re.compile(r"([\w.-]+/[\w.-]+(@[\w./-]+)?)?"),
}


def run_export(folder: Path, python: str, timeout: int, exercises: str, grader_repo: str) -> None:
    """`grader export github-classroom DIR`."""
    import click

    given = {"--python": python, "--exercises": exercises, "--grader-repo": grader_repo}
    for option, value in given.items():
        if not _OPTION_RULES[option].fullmatch(value) or value.startswith("-"):
            raise click.BadParameter(f"{value!r} is not a valid value here", param_hint=option)
    path = write_workflow(
        folder, python=python, timeout=timeout, exercises=exercises, grader_repo=grader_repo
    )
    click.echo(
        f"wrote {path}: commit it to the assignment's template repository; each push is graded "
        "and the points reported to GitHub Classroom"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

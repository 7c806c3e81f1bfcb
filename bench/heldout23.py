"""Grade the held-out learner mistakes of 2026-12-07 (bench/heldout23/, written blind by someone
who read only the tutorial, the spec and the stubs) with a checkout's grader.

    python bench/heldout23.py [--project DIR] [--set DIR] [--out results.json] [CASE_PREFIX ...]

For each case of heldout23/cases.toml: `grader check ID --submission CASE --json`. A mistake is
caught when it loses points; its `names` and `wrong` patterns (written before any grading) are
searched in the failing checks' messages, a first guess at named and wrongly diagnosed that a
person must confirm by reading (a pattern can match the learner's own line quoted in a traceback,
or a word of the check's input). A correct case must earn full points. The set is spent: it was
measured once (docs/diagnosis.md) and is kept as a regression set, not as evidence.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

HERE = Path(__file__).resolve().parent / "heldout23"
ROOT = Path(__file__).resolve().parent.parent


def exercise_ids(project: Path) -> dict[str, str]:
    ids = re.findall(r'^id\s*=\s*"(\w+)"', (project / "workbook.toml").read_text(), re.M)
    return {f"{n:02d}": name for n, name in enumerate(ids, start=1)}


def grade(project: Path, ids: dict[str, str], here: Path, case: str, meta: dict) -> dict:
    exercise = ids[case[:2]]
    done = subprocess.run(
        [str(project / ".venv/bin/grader"), "check", exercise, "--json"]
        + ["--submission", str(here / "cases" / case)],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=project,
    )
    try:
        result = json.loads(done.stdout)["exercises"][exercise]
    except (ValueError, KeyError):
        return {"case": case, "error": done.stdout[-500:] + done.stderr[-1500:]}
    failing = [c for c in result["checks"] if not c.get("passed")]
    text = "\n".join(f"{c['name']}: {c.get('message', '')}" for c in failing)
    wrong = [p for p in meta.get("wrong", []) if re.search(p, text, re.I | re.S)]
    named = any(re.search(p, text, re.I | re.S) for p in meta.get("names", []))
    row = {
        "case": case,
        "kind": meta.get("kind", "mistake"),
        "score": result["score"],
        "max": result["max_score"],
        "caught": result["score"] < result["max_score"],
        "named": named and not wrong,
        "wrong": wrong,
        "text": text,
    }
    print(
        f"{case:<40} {row['kind']:<8} {row['score']:>5}/{row['max']:<3} caught={row['caught']!s:<5}"
        f" named={row['named']!s:<5} wrong={bool(wrong)}",
        flush=True,
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument(
        "--set",
        type=Path,
        default=HERE,
        help="a held-out set: cases.toml and cases/ (default: heldout23)",
    )
    parser.add_argument("--out", type=Path, default=Path("heldout23-results.json"))
    parser.add_argument("prefixes", nargs="*")
    options = parser.parse_args()
    cases = tomllib.loads((options.set / "cases.toml").read_text())
    ids = exercise_ids(options.project)
    chosen = [
        (case, meta)
        for case, meta in sorted(cases.items())
        if not options.prefixes or case.startswith(tuple(options.prefixes))
    ]
    with ThreadPoolExecutor(2) as pool:
        rows = list(pool.map(lambda cm: grade(options.project, ids, options.set, *cm), chosen))
    options.out.write_text(json.dumps(rows, indent=1))
    mistakes = [r for r in rows if r.get("kind") == "mistake"]
    correct = [r for r in rows if r.get("kind") == "correct"]
    print(
        f"mistakes {len(mistakes)}: caught {sum(r['caught'] for r in mistakes)}, named by the "
        f"patterns {sum(r['named'] for r in mistakes)}, wrong by the patterns "
        f"{sum(bool(r['wrong']) for r in mistakes)}; correct {len(correct)}: full points "
        f"{sum(not r['caught'] for r in correct)}; errors {sum('error' in r for r in rows)}"
    )


if __name__ == "__main__":
    main()

"""Print, per caught mutant of a reference, its change and the words its feedback gives as causes.

    python bench/mutant_words.py NN_stem [--work /tmp/mutants] [--all] [--group] [--public]

Reads the batch that `bench/mutants.py --only NN_stem --work WORK` graded (WORK/NN_stem/out/
feedback/mNNNN.md) and prints, for each mutant that lost points: its line and operator, the
reference's source lines it changed (before and after) and the feedback's cause lines: every
"Likely mistake", "What the numbers show", "What to check", "What this means" and each other
line of a failed check's message that is neither its input, a traceback nor a value dump (with
--all, every line). The audit of issue 23 reads these against the change itself
(docs/mutation.md, "Diagnoses of the mutants: 01-04"). --group prints mutants whose cause lines
are the same text together, so each distinct sentence is read once beside all its mutants.
--public reads instead what `grader check` says (no grading key: the public inputs, every
check's words shown), by running the checks on each caught mutant's file in this process.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutants import ROOT, mutants_of  # noqa: E402

CAUSE_HEADS = ("Likely mistake", "What the numbers show", "What to check", "What this means")
# Lines that state no cause: the check's input, a traceback, the value dumps, the points.
QUIET = re.compile(
    r"^(Input|Inputs|  File |Traceback|It cost these checks|Hint:|Checks:|\*\*Total)"
    r"|^\s*(tensor\(|\[|\(|Expected:|Got:|expected:|got:)"
)


def changed_lines(original: str, mutant: str) -> tuple[list[str], list[str]]:
    """The reference's unparsed lines a mutant removed, and those it added."""
    before, after = [], []
    for line in difflib.unified_diff(original.splitlines(), mutant.splitlines(), n=0, lineterm=""):
        if line.startswith("-") and not line.startswith("---"):
            before.append(line[1:].strip())
        elif line.startswith("+") and not line.startswith("+++"):
            after.append(line[1:].strip())
    return before, after


def message_blocks(feedback: str) -> list[tuple[str, list[str]]]:
    """Each failed check's (heading, text-block lines) in a feedback file."""
    blocks, heading, inside, lines = [], "", False, []
    for line in feedback.splitlines():
        if line.startswith("- **"):
            heading = line[2:]
        elif line.startswith("```text"):
            inside, lines = True, []
        elif line.startswith("```") and inside:
            inside = False
            blocks.append((heading, lines))
        elif inside:
            lines.append(line)
    return blocks


def cause_lines(lines: list[str], every: bool) -> list[str]:
    if every:
        return lines
    kept = []
    for line in lines:
        if line.startswith(CAUSE_HEADS) or not QUIET.search(line):
            kept.append(line)
    return kept


def public_blocks(folder: Path, stem: str) -> list[tuple[str, list[str]]]:
    """Each failed check's (name, message lines) in an unkeyed run, as `grader check` shows."""
    from grader.checking.runner import run_checks
    from grader.workbook.catalog import exercise_by_id

    exercise = exercise_by_id(stem.split("_", 1)[1])
    graded = run_checks(submission=folder, exercises=[exercise]).exercises[exercise.id]
    return [(c.name, c.message.splitlines()) for c in graded.checks if not c.passed]


def report(
    stem: str, work: Path, every: bool, public: bool = False
) -> list[tuple[str, str, list[str], str]]:
    """(mutant id, its change, cause lines, score) for every graded mutant that lost points."""
    original = ast.unparse(ast.parse((ROOT / "solutions" / f"{stem}.py").read_text()))
    feedback_dir = work / stem / "out" / "feedback"
    rows = []
    for n, mutant in enumerate(mutants_of((ROOT / "solutions" / f"{stem}.py").read_text()), 1):
        path = feedback_dir / f"m{n:04d}.md"
        if not path.exists():
            continue
        text = path.read_text()
        score = re.search(r"\*\*Total: ([\d.]+) / ([\d.]+)", text)
        if score and score.group(1) == score.group(2):
            continue  # a survivor: nothing to audit
        before, after = changed_lines(original, mutant.source)
        change = f"line {mutant.line}: {mutant.change}\n    - " + "\n    - ".join(before)
        change += "\n    + " + "\n    + ".join(after)
        words = []
        folder = work / stem / "batch" / f"m{n:04d}"
        blocks = public_blocks(folder, stem) if public else message_blocks(text)
        for heading, lines in blocks:
            kept = cause_lines(lines, every)
            if kept:
                words.append(heading)
                words += ["      " + line for line in kept]
        rows.append((f"m{n:04d}", change, words, score.group(0) if score else "?"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stem")
    parser.add_argument("--work", type=Path, default=Path("/tmp/mutants"))
    parser.add_argument("--all", action="store_true", help="every line of each message")
    parser.add_argument("--group", action="store_true", help="mutants with the same words together")
    parser.add_argument("--public", action="store_true", help="what `grader check` says instead")
    args = parser.parse_args()
    rows = report(args.stem, args.work, args.all, args.public)
    with_cause = [r for r in rows if any(w.strip().startswith(CAUSE_HEADS) for w in r[2])]
    print(f"{args.stem}: {len(rows)} mutants lost points, {len(with_cause)} with a cause line")
    if args.group:
        groups: dict[str, list[tuple[str, str, list[str], str]]] = {}
        for row in rows:
            groups.setdefault("\n".join(row[2]), []).append(row)
        for words, members in groups.items():
            print("=" * 100)
            print(words or "  (no message lines)")
            for ident, change, _, score in members:
                print(f"  -- {ident} {score} {change}")
        return
    for ident, change, words, score in rows:
        print("=" * 100)
        print(f"{ident} {score} {change}")
        print("\n".join(words) or "  (no message lines)")


if __name__ == "__main__":
    main()

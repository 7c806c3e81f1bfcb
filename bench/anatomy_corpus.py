"""What share of the corpus's failing messages the anatomy of differences proves a pattern in:
runs tests/test_corpus.py (so the corpus's own assertions hold too), records every failing
check's message, and counts those with a "What the numbers show:" line.

    python bench/anatomy_corpus.py [--dump messages.json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter

import pytest

SHOWS = "What the numbers show:"


class Recorder:
    """A pytest plugin: wraps the corpus test's grading to keep each failing check's message."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def pytest_configure(self, config) -> None:
        import tests.test_corpus as corpus

        original = corpus._grade

        def grade(variant, tmp_path):
            exercise, result = original(variant, tmp_path)
            for check in result.checks:
                if not check.passed:
                    self.rows.append(
                        {
                            "entry": f"{variant.exercise} {variant.name}",
                            "wrong": variant in corpus.WRONG,
                            "check": check.name,
                            "message": check.message,
                        }
                    )
            return exercise, result

        corpus._grade = grade


def summary(rows: list[dict]) -> str:
    wrong = [r for r in rows if r["wrong"]]
    shown = [r for r in wrong if SHOWS in r["message"]]
    alone = [r for r in shown if "Likely mistake:" not in r["message"]]
    tensors = [r for r in wrong if re.search(r"values differ|wrong shape|has dtype", r["message"])]
    patterns = Counter(r["message"].split(SHOWS, 1)[1].split("\n")[0][:70] for r in shown)
    lines = [
        f"failing messages of wrong entries: {len(wrong)}; with a proven pattern: {len(shown)}",
        f"tensor comparisons among them: {len(tensors)}",
        f"entries with a pattern: {len({r['entry'] for r in shown})} of "
        f"{len({r['entry'] for r in wrong})}",
        f"with no likely mistake beside the pattern: {len(alone)}",
        f"failing messages of correct entries: {sum(not r['wrong'] for r in rows)}",
    ]
    return "\n".join(lines + [f"  {n} x {text}" for text, n in patterns.most_common()])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dump", help="write every failing message to this JSON file")
    args = parser.parse_args()
    recorder = Recorder()
    code = pytest.main(["tests/test_corpus.py", "-q", "-p", "no:cacheprovider"], [recorder])
    if args.dump:
        with open(args.dump, "w") as out:
            json.dump(recorder.rows, out, indent=1)
    print(summary(recorder.rows))
    return int(code)


if __name__ == "__main__":
    sys.exit(main())

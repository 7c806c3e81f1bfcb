"""`check`, `hint` and `solution` for a notebook's kernel: `grader check`, `grader hint` and
`grader solution` for what the learner's cells define now.

check() takes, from the cells the kernel ran (IPython's history, in order), the definitions the
exercise's spec names and all they use, the last definition of a name winning, as in the
kernel (grader.workbook.notebook_source); writes them to a scratch folder as `NN_<id>.py`;
and grades that with the engine `grader check` uses: the learner's code runs in a caged
worker, never in this kernel's grading. The zygote (torch imported) and a spare worker live as
long as the kernel, so only the first check pays for torch. The verdict is shown inline: the
same messages as on the terminal, and the check page's pictures.
"""

from __future__ import annotations

import ast
import re
import sys
import tempfile
import time
from pathlib import Path

import click

from grader.commands.check import chosen_exercises
from grader.reports.check_html import exercise_section
from grader.reports.escape import html as escape
from grader.reports.figures_html import STYLE
from grader.reports.html_page import style
from grader.supervisor.environment import sandbox_notes
from grader.supervisor.host_cage import lacks
from grader.supervisor.pool import shared_pool
from grader.workbook import state
from grader.workbook.catalog import Exercise, configured_limits
from grader.workbook.notebook_source import definitions, left_out_reason, spec_names
from grader.workbook.results import ExerciseResult, SubmissionResult

SCOPE = "cnn-check"
_said: set[str] = set()  # the host's missing protections, each said once per kernel


def scoped_css(css: str, scope: str = SCOPE) -> str:
    """The pages' stylesheet confined to `.scope`, so that it styles no other part of the
    notebook (`body` becomes the scope itself)."""

    def rule(match: re.Match) -> str:
        selectors = [s.strip() for s in match.group(1).split(",")]
        inside = [f".{scope}" if s == "body" else f".{scope} {s}" for s in selectors]
        return ",".join(inside) + "{" + match.group(2) + "}"

    return re.sub(r"([^{}]+)\{([^{}]*)\}", rule, css)


class Verdict:
    """What check() shows: HTML for a notebook, the terminal's text for anything else."""

    def __init__(self, exercise: Exercise, result: ExerciseResult, notes: list[str], took: float):
        self.exercise, self.result, self.notes, self.took = exercise, result, notes, took

    @property
    def passed(self) -> bool:
        return self.result.score >= self.result.max_score

    def __repr__(self) -> str:
        from grader.reports.terminal import format_exercise

        lines = [f"note: {n}" for n in self.notes]
        lines.append(format_exercise(self.exercise, self.result, color=False))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        notes = "".join(f'<p class="partial small">{escape(n)}</p>' for n in self.notes)
        next_step = (
            f'solution("{self.exercise.id}") shows the reference now.'
            if self.passed
            else f'Stuck? hint("{self.exercise.id}") gives the next hint.'
        )
        return (
            f"<style>{scoped_css(style() + STYLE)}</style><div class={SCOPE}>{notes}"
            f"{exercise_section(self.exercise, self.result)}"
            f'<p class="muted small">{escape(next_step)} Checked in {self.took:.1f} s.</p></div>'
        )


def kernel_cells() -> list[str]:
    """The cells this kernel ran, as typed, oldest first (IPython keeps them as `In`)."""
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    if shell is None:
        raise RuntimeError("check() runs in a notebook's kernel; elsewhere run `grader check`")
    return [c for c in shell.history_manager.input_hist_raw if c.strip()]


def source_of(exercise: Exercise, cells: list[str]) -> tuple[str, list[str]]:
    """The module check() grades for `exercise`, and notes: the cells left out that would
    have defined one of its names."""
    names = spec_names(exercise)
    notes = []
    for cell in cells:
        if not any(re.search(rf"\b(def|class)\s+{n}\b", cell) for n in names):
            continue
        reason = left_out_reason(cell)
        if reason:
            notes.append(f"a cell defining {exercise.id}'s code was left out: it holds {reason}")
        elif not _parses(cell):  # the kernel kept the definitions run before it
            notes.append(f"a cell defining {exercise.id}'s code does not parse: it was left out")
    source, _ = definitions([c for c in cells if not left_out_reason(c)], names)
    if not source:
        notes.append(
            f"no cell this kernel ran defines {', '.join(names)}: run the cells tagged "
            f"exercise:{exercise.id} first"
        )
    return source, notes


def _parses(cell: str) -> bool:
    try:
        ast.parse(cell)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def grade_source(exercise: Exercise, source: str) -> ExerciseResult:
    """Grade `source` as the exercise's file, as `grader check` would (the learner's state is
    updated alike: a pass unlocks solution())."""
    from grader.checking.runner import RunnerError, run_checks

    pool = shared_pool()
    pool.set_limits(configured_limits())
    with tempfile.TemporaryDirectory(prefix="grader-notebook-") as folder:
        if source:
            (Path(folder) / exercise.filename).write_text(source, encoding="utf-8")
            pool.prestart(exercise.warm_up)
        import torch

        threads = torch.get_num_threads()  # the kernel's own, for the learner's cells
        torch.set_num_threads(1)  # the checks' small reference computations: as a batch does
        try:
            result: SubmissionResult = run_checks(submission=Path(folder), exercises=[exercise])
        except RunnerError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            torch.set_num_threads(threads)
    graded = result.exercises[exercise.id]
    if graded.score >= graded.max_score:
        state.mark("passed", exercise.id)
    return graded


def check(exercise_id: str) -> None:
    """Grade what this kernel's cells define now for the exercise, and show the verdict."""
    started = time.perf_counter()
    try:
        exercise = chosen_exercises((exercise_id,))[0]
    except click.UsageError as exc:
        print(exc.message, file=sys.stderr)
        return None
    source, notes = source_of(exercise, kernel_cells())
    try:
        result = grade_source(exercise, source)
    except click.ClickException as exc:  # the checks could not run at all: said, not a traceback
        print(f"grader: {exc.message}", file=sys.stderr)
        return None
    notes += absent_protections()
    verdict = Verdict(exercise, result, notes, time.perf_counter() - started)
    _show(verdict)
    return None


def absent_protections() -> list[str]:
    """What this host lacks of the cage, each said once per kernel: the learner's own check runs
    anyway (their code, their machine); `grader grade` refuses without the file-system cage."""
    new = [n for n in [*lacks(), *sandbox_notes()] if n not in _said]
    _said.update(new)
    return [f"your check ran without a protection this machine lacks: {n}" for n in new]


def _show(verdict: Verdict) -> None:
    try:
        from IPython.display import display
    except ImportError:
        print(repr(verdict))
        return
    display(verdict)


def hint(exercise_id: str, level: int | None = None) -> None:
    """The exercise's next hint (or the hint of `level`), as `grader hint` gives it."""
    from grader.commands.hint import run_hint

    try:
        run_hint(exercise_id, level)
    except click.ClickException as exc:
        print(exc.message, file=sys.stderr)


def solution(exercise_id: str, give_up: bool = False) -> None:
    """The reference, once check() (or `grader check`) gave full points, or with give_up=True."""
    from grader.commands.solution import run_solution

    try:
        run_solution(exercise_id, give_up)
    except click.ClickException as exc:
        print(exc.message, file=sys.stderr)

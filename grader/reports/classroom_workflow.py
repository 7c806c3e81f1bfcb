"""The GitHub Classroom workflow that `grader export github-classroom` writes, and what it says
a student who owns the repository can still do. Its grading step runs the grader with `python -I`
from outside the repository, so nothing the student commits there is imported."""

from __future__ import annotations

RUNNER_ID = "cnnworkbook"  # the step's id; the reporter reads <RUNNER_ID upper-cased>_RESULTS
GRADER_PATH = ".cnn-grader"

WORKFLOW = """\
# Written by `grader export github-classroom`. Grades the exercises on every push with partial
# credit: one test per check of the CNN workbook, reported to GitHub Classroom by its reporter.
{trust}name: Autograding Tests
on:
  push:
  workflow_dispatch:
  repository_dispatch:
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: {timeout}
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
{grader_checkout}      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "{python}"
      - name: Install CPU-only torch and torchvision
        run: >-
          python -I -m pip install --index-url https://download.pytorch.org/whl/cpu
          torch torchvision
      - name: Install the grader
        run: python -I -m pip install -e {grader_path}
      # -I and a folder outside the repository: no module of the repository is imported
      - name: Grade the exercises
        id: {runner}
        timeout-minutes: {grade_timeout}
        run: >-
          cd "$RUNNER_TEMP" &&
          python -I -m grader.exports.classroom.workflow "$GITHUB_WORKSPACE/{exercises}"
      - name: Autograding Reporter
        if: always()
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          {runner_env}_RESULTS: "${{{{ steps.{runner}.outputs.result }}}}"
        with:
          runners: {runner}
"""

# What a student who owns the repository can still do, said in the workflow itself.
TRUST_OWN_GRADER = """\
# The grader is this repository's own (no --grader-repo): a student can change it, the checks
# and this file, so the points reported here are the student's word. Marks that count: clone
# the class's repositories and run `grader grade` on them from your own copy of the workbook.
"""
TRUST_GRADER_REPO = """\
# The grader comes from {repository}, run with `python -I` from outside this repository, so a
# `grader/`, `checks/`, `pip/` or `sitecustomize.py` committed here is never imported. A student
# still owns this file: they can edit or delete this workflow (skip the grading, send the
# reporter any result, check out another grader), and Classroom shows what it was sent. Marks
# that count: clone the class's repositories and run `grader grade` on them from your own copy;
# its review flags a repository whose workflow, grader or checks differ from the template.
"""

GRADER_CHECKOUT = """\
      - name: Checkout the grader
        uses: actions/checkout@v4
        with:
          repository: {repository}
{ref}          path: {path}
          token: "${{{{ secrets.CNN_GRADER_TOKEN || github.token }}}}"
"""


def workflow_yaml(
    python: str = "3.11",
    timeout: int = 30,
    exercises: str = "exercises",
    grader_repo: str = "",
) -> str:
    """The workflow. With `grader_repo` ("owner/name" or "owner/name@ref") the grader is checked
    out from there (a private one through the CNN_GRADER_TOKEN secret) instead of the student's
    repository being the workbook itself."""
    checkout, path, trust = "", ".", TRUST_OWN_GRADER
    if grader_repo:
        trust = TRUST_GRADER_REPO.format(repository=grader_repo.partition("@")[0])
        repository, _, ref = grader_repo.partition("@")
        path = GRADER_PATH
        checkout = GRADER_CHECKOUT.format(
            repository=repository, ref=f"          ref: {ref}\n" if ref else "", path=path
        )
    return WORKFLOW.format(
        trust=trust,
        timeout=timeout,
        grade_timeout=max(timeout - 5, 1),
        python=python,
        grader_checkout=checkout,
        grader_path=path,
        runner=RUNNER_ID,
        runner_env=RUNNER_ID.upper(),
        exercises=exercises,
    )

"""A check's outcome (from pytest) turned into its graded result: status, points, the message a
learner reads (cut, and without inputs or expected values when the check is hidden), the mistake
the check named, and what the learner's code printed during it."""

from __future__ import annotations

import pytest

from grader.checking.compare import CheckFailure
from grader.checking.figures import drawn
from grader.checking.submission import SubmissionProblem
from grader.wire.reply_limits import CHECK_MESSAGE_LIMIT, cut
from grader.workbook.results import CheckResult, Status

OUTPUT_LIMIT = 2000  # characters of a check's printed output kept


def check_name(item: pytest.Item) -> str:
    return item.name.removeprefix("test_")


def _printed(item: pytest.Item) -> str:
    """What the learner's code printed during this check (the submission fixture collects it)."""
    handle = getattr(item, "funcargs", {}).get("submission")
    return handle.take_printed().strip() if hasattr(handle, "take_printed") else ""


def check_result(
    item: pytest.Item, report: pytest.TestReport, call: pytest.CallInfo, hidden: bool
) -> CheckResult:
    """The graded result of one check. `hidden`: a graded run's check that is not public, which
    keeps only what is wrong and the named mistake (no input, expected value or printed output)."""
    points = float(item.get_closest_marker("points").args[0])
    # a graded run's secret inputs could be printed out and collected: hidden checks keep none
    printed = _printed(item)  # taken either way: it belongs to this check alone
    printed = "" if hidden else printed
    # pictures show inputs and expected values: a hidden check keeps none, as with its values
    figures = () if hidden else drawn(item)
    if report.passed:  # a check may leave a short note for a pass too (08: the accuracy)
        note = cut(str(dict(item.user_properties).get("note", "")), 500)
        output = cut(printed, OUTPUT_LIMIT)
        return CheckResult(
            check_name(item), Status.PASSED, points, points, note, "", output, figures
        )
    error = call.excinfo.value if call.excinfo else None
    if isinstance(error, SubmissionProblem):
        status, message = error.status, error.hidden_message if hidden else error.message
    elif isinstance(error, CheckFailure):
        status, message = Status.FAILED, error.redacted() if hidden else error.full()
    elif isinstance(error, AssertionError):
        status, message = Status.FAILED, str(error)
        if hidden:  # a bare assert's message shows values: the first line only
            message = message.splitlines()[0] if message else ""
    elif call.excinfo is not None and call.excinfo.errisinstance(pytest.fail.Exception):
        status, message = Status.FAILED, str(error)
    else:
        status = Status.ERROR
        message = (
            f"internal error in the check ({type(error).__name__}: {error}); "
            "this is a bug in the grader, not in your code: please report it"
        )
    # messages quote what student code sent (values, exceptions, output): cut once, here
    message = cut(message.strip(), CHECK_MESSAGE_LIMIT)
    printed = "" if printed and printed in message else cut(printed, OUTPUT_LIMIT)
    # named by the check (never read back from text a student's code may have written)
    mistake = (
        getattr(error, "mistake", "")
        if isinstance(error, AssertionError | SubmissionProblem)
        else ""
    )
    mistake = cut(str(mistake), 1000)
    return CheckResult(check_name(item), status, 0.0, points, message, mistake, printed, figures)

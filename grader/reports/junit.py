"""JUnit XML for CI systems, for `grader check --junit` and `grader grade --junit` alike: one test
suite per student, one test case per check; a failed check is a <failure>, an error or a timeout
an <error>, not attempted <skipped>."""

from __future__ import annotations

from xml.etree import ElementTree

from grader.reports.escape import xml
from grader.workbook.results import Status, SubmissionResult

_KINDS = {
    Status.FAILED: "failure",
    Status.ERROR: "error",
    Status.TIMEOUT: "error",
    Status.NOT_ATTEMPTED: "skipped",
}


def junit_xml(results: dict[str, SubmissionResult]) -> str:
    """`results`: each student's (or the one submission's) result, in the order to write them."""
    suites = ElementTree.Element("testsuites", name="cnn-workbook")
    for student, result in results.items():
        student = xml(student)  # ids and messages are the students': only what XML 1.0 allows
        checks = [
            (exercise, check)
            for exercise, mine in result.exercises.items()
            for check in mine.checks
        ]
        statuses = [check.status for _, check in checks]
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=student,
            tests=str(len(checks)),
            failures=str(statuses.count(Status.FAILED)),
            errors=str(statuses.count(Status.ERROR) + statuses.count(Status.TIMEOUT)),
            skipped=str(statuses.count(Status.NOT_ATTEMPTED)),
        )
        for exercise, check in checks:
            case = ElementTree.SubElement(
                suite, "testcase", classname=f"{student}.{exercise}", name=check.name
            )
            kind = _KINDS.get(check.status)
            if kind:
                message = xml(check.message)
                first = message.splitlines()[0] if message else check.status.value
                ElementTree.SubElement(case, kind, message=first).text = message
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"

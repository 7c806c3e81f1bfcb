"""JUnit XML for CI systems, from a batch's records: one test suite per student, one test case per
check; a failed check is a <failure>, an error or a timeout an <error>, not attempted <skipped>."""

from __future__ import annotations

from xml.etree import ElementTree

from grader.escape import xml


def junit_xml(records: dict[str, dict]) -> str:
    suites = ElementTree.Element("testsuites", name="cnn-workbook")
    for student, record in records.items():
        student = xml(student)  # ids and messages are the students': only what XML 1.0 allows
        checks = [(exercise, check) for exercise, result in record["result"]["exercises"].items()
                  for check in result["checks"]]
        suite = ElementTree.SubElement(suites, "testsuite", name=student, tests=str(len(checks)),
                                       failures=str(sum(c["status"] == "failed" for _, c in checks)),
                                       errors=str(sum(c["status"] in ("error", "timeout") for _, c in checks)),
                                       skipped=str(sum(c["status"] == "not_attempted" for _, c in checks)))
        for exercise, check in checks:
            case = ElementTree.SubElement(suite, "testcase", classname=f"{student}.{exercise}", name=check["name"])
            kind = {"failed": "failure", "error": "error", "timeout": "error", "not_attempted": "skipped"}.get(
                check["status"])
            if kind:
                message = xml(check["message"])
                ElementTree.SubElement(case, kind, message=message.splitlines()[0] if message
                                       else check["status"]).text = message
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"

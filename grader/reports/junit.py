"""JUnit XML for CI systems, from a batch's records: one test suite per student, one test case per
check; a failed check is a <failure>, an error or a timeout an <error>, not attempted <skipped>."""

from __future__ import annotations

from xml.etree import ElementTree


def junit_xml(records: dict[str, dict]) -> str:
    suites = ElementTree.Element("testsuites", name="cnn-workbook")
    for student, record in records.items():
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
                ElementTree.SubElement(case, kind, message=check["message"].splitlines()[0] if check["message"]
                                       else check["status"]).text = check["message"]
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"

"""The CNN workbook's grader: runs the checks in `checks/` against a submission.

Student code only ever runs in a worker process (`grader.worker`); the pytest
process receives plain data back (`grader.worker.protocol`) and judges it.
"""

__version__ = "0.1.0"

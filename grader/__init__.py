"""The CNN workbook's grader: runs the checks in `checks/` against a submission.

Its folders say where code runs and what it may trust:
- `workbook/`: torch-free facts (paths, the catalog, limits, typed results, files, intake);
- `worker/`: the untrusted side, where student code runs, caged; it reports facts, never verdicts;
- `checking/`: the trusted side, which judges the plain data a worker sends back;
- `reports/`: pure functions from typed records to text (terminal, gradebook, feedback, HTML...);
- `commands/`: one module per command of `grader` (`cli.py` only declares them), and all writing.
"""

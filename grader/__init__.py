"""The CNN workbook's grader: runs the checks in `checks/` against a submission.

Its folders say where code runs and what it may trust (docs/architecture.md):
- `workbook/`: torch-free facts (paths, the catalog, limits, run settings, typed results, intake);
- `wire/`: what both sides of the trust line share (frames, plain-data protocol, reply bounds);
- `worker/`: the untrusted side, where student code runs, caged; it reports facts, never verdicts;
- `supervisor/`: the grader's handle on workers (start, time, read, kill; the pool, the zygote's);
- `checking/`: the trusted side, which judges the plain data a worker sends back;
- `reports/`, `review/`: pure functions from typed records to text; the class's integrity review;
- `commands/`: one module per command of `grader` (`cli.py` only declares them), and all writing;
- `exports/`: one module or small package per instructor export (LMS, Gradescope, Classroom...).
"""

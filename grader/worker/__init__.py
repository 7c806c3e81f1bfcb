"""The untrusted side: the worker process, its cage and its server, where student code runs.
It reports facts, never verdicts; it imports only the wire and workbook/."""

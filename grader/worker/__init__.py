"""The untrusted side: start, cage and talk to a worker. It reports facts, never verdicts."""

"""A tiny pytest plugin for test_pytest_entry: prints the pytest process's id."""

import os


def pytest_sessionfinish(session):
    print(f"\nPYTEST-PID={os.getpid()}")

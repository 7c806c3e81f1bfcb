"""Gradescope: the autograder bundle, what it runs per submission, and its results.json."""

"""`python -m grader`: the same as the `grader` program (a handout run without installing it)."""

from grader.cli import entry

if __name__ == "__main__":
    entry()

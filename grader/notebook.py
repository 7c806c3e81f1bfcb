"""What a learner's notebook imports: `from grader.notebook import check, hint, solution`."""

from grader.commands.notebook import check, hint, solution

__all__ = ["check", "hint", "solution"]

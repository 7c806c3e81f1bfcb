"""One module per command of `grader`; all of the grader's file writing happens here."""

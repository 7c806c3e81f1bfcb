"""GitHub Classroom: the workflow a handout carries, its grading step and the runner result."""

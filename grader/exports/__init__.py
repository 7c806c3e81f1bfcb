"""What an instructor takes elsewhere: one module or small package per export (course sites' grade
files, Gradescope's autograder, GitHub Classroom's workflow, the student handout) and `grader
export`'s commands (cli.py)."""

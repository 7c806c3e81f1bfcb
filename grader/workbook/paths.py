"""Where the project's folders are. The grader runs from a checkout of the repository."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CATALOG_FILE = PROJECT_ROOT / "workbook.toml"
EXERCISES_DIR = PROJECT_ROOT / "exercises"
SOLUTIONS_DIR = PROJECT_ROOT / "solutions"
CHECKS_DIR = PROJECT_ROOT / "checks"  # one folder per exercise: grader/workbook/exercise_folder.py
EXPECTED_DIR = CHECKS_DIR / "expected"  # a handout's recorded expected values, one file each


def is_handout() -> bool:
    """A learner's handout (`grader export student`): no references, recorded expected values."""
    return not SOLUTIONS_DIR.is_dir()


HANDOUT_REFUSAL = (
    "graded runs stay on the instructor's side: this copy is a learner's handout, with no "
    "reference solutions (grade with the full project; here, `grader check` checks your work)"
)

"""The course's own settings in workbook.toml (`[course]`): the assignment's title on the course
site, by which the LMS exports find the instructor's existing grade column. Torch-free."""

from __future__ import annotations

from grader.workbook.paths import CATALOG_FILE

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

DEFAULT_TITLE = "CNN workbook"


def course_title() -> str:
    """`[course] title` from workbook.toml, else DEFAULT_TITLE."""
    try:
        data = tomllib.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return DEFAULT_TITLE
    title = dict(data.get("course") or {}).get("title")
    return str(title).strip() if isinstance(title, str) and title.strip() else DEFAULT_TITLE

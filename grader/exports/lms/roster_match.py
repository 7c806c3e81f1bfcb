"""Which roster row each gradebook student is. Torch-free.

The order, each step tried only for the students the steps before left unmatched:

1. the course site's own id for the student, parsed from the submission's name (grades.json
   `site_id`), against the roster's column of that id, when the submission came from the same
   site (Canvas `ID`; Moodle's grading worksheet `Identifier`, "Participant 48213");
2. the student id (the submission's name) against the login: `SIS Login ID`, `Username`;
3. against the email address, whole or its local part (before `@`);
4. against the institution's id: `SIS User ID`, `ID number`, `Student ID`;
5. against the name, ignoring case, spaces and punctuation, first-last or last-first (Canvas
   names its downloads `smithjohn` for "Smith, John").

A step that finds two or more rows for a student stops there: the student is reported as
ambiguous, never guessed. So is a row that two students reach.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.exports.lms.roster_file import Roster


@dataclass(frozen=True)
class Site:
    """A course site's roster columns by role, each a list of header names in preference order."""

    name: str
    site_id: tuple[str, ...] = ()
    login: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    sis: tuple[str, ...] = ()
    full_name: tuple[str, ...] = ()  # one column, "Last, First" (Canvas's sortable name)
    first: tuple[str, ...] = ()
    last: tuple[str, ...] = ()

    def identity_columns(self) -> tuple[str, ...]:
        return (
            self.site_id
            + self.login
            + self.email
            + self.sis
            + self.full_name
            + self.first
            + self.last
        )


CANVAS = Site(
    "canvas",
    site_id=("ID",),
    login=("SIS Login ID",),
    sis=("SIS User ID",),
    full_name=("Student",),
)
MOODLE = Site(
    "moodle",
    site_id=("Identifier",),
    login=("Username",),
    email=("Email address", "Email"),
    sis=("ID number",),
    full_name=("Full name",),
    first=("First name",),
    last=("Last name", "Surname"),
)
BLACKBOARD = Site(
    "blackboard",
    login=("Username",),
    email=("Email",),
    sis=("Student ID",),
    first=("First Name",),
    last=("Last Name",),
)
SITES = {site.name: site for site in (CANVAS, MOODLE, BLACKBOARD)}


@dataclass(frozen=True)
class Graded:
    """A gradebook student as grades.json has it."""

    student: str
    total: float
    site: str = ""
    site_id: str = ""
    name: str = ""  # the site's display name, when the gradebook key adds the id to it


@dataclass
class Join:
    """Each matched student's roster row (by index) and the step that found it; the students not
    on the roster; the ambiguous ones and why; the roster rows nobody matched."""

    matched: dict[int, tuple[Graded, str]] = field(default_factory=dict)
    unmatched: list[Graded] = field(default_factory=list)
    ambiguous: list[tuple[Graded, str]] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    contested: set[int] = field(default_factory=set)  # rows an ambiguous student pointed at


def squash(text: str) -> str:
    """Letters and digits only, case folded: "Al-Sayed, Fatima" -> "alsayedfatima"."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _site_id(value: str) -> str:
    return value.strip().removeprefix("Participant").strip()


def _keys(site: Site, roster: Roster, row: list[str]) -> dict[str, set[str]]:
    """A row's keys for each step; empty cells give no key."""

    def values(names: tuple[str, ...]) -> list[str]:
        return [v for v in (roster.cell(row, roster.column(n)) for n in names) if v]

    emails = {e.casefold() for e in values(site.email)}
    names = set()
    for full in values(site.full_name):
        last, _, first = full.partition(",")
        names |= {squash(full), squash(first + last), squash(last + first)}
    firsts, lasts = values(site.first), values(site.last)
    if firsts and lasts:
        names |= {squash(firsts[0] + lasts[0]), squash(lasts[0] + firsts[0])}
    return {
        "site id": {_site_id(v) for v in values(site.site_id)},
        "login": {v.casefold() for v in values(site.login)},
        "email": emails | {e.split("@", 1)[0] for e in emails},
        "SIS id": {v.casefold() for v in values(site.sis)},
        "name": names - {""},
    }


def _student_key(step: str, graded: Graded, site: Site) -> str:
    if step == "site id":
        return graded.site_id.strip() if graded.site == site.name else ""
    if step == "name":
        return squash(graded.name or graded.student)
    return graded.student.strip().casefold()


STEPS = ("site id", "login", "email", "SIS id", "name")


def join(students: list[Graded], roster: Roster, site: Site) -> Join:
    keys = [_keys(site, roster, row) for row in roster.rows]
    claims: dict[int, list[tuple[Graded, str]]] = {}
    result = Join()
    for graded in students:
        found: tuple[int, str] | None = None
        for step in STEPS:
            key = _student_key(step, graded, site)
            rows = [i for i, k in enumerate(keys) if key and key in k[step]]
            if len(rows) > 1:
                lines = ", ".join(str(i + 2 + len(roster.preamble)) for i in rows)
                result.ambiguous.append((graded, f"{step} matches roster lines {lines}"))
                result.contested.update(rows)
                found = (-1, step)
                break
            if rows:
                found = (rows[0], step)
                break
        if found is None:
            result.unmatched.append(graded)
        elif found[0] >= 0:
            claims.setdefault(found[0], []).append((graded, found[1]))
    for index, claimants in sorted(claims.items()):
        if len(claimants) == 1:
            result.matched[index] = claimants[0]
            continue
        line = index + 2 + len(roster.preamble)
        others = ", ".join(g.student for g, _ in claimants)
        result.ambiguous += [
            (g, f"roster line {line} is matched by: {others}") for g, _ in claimants
        ]
        result.contested.add(index)
    taken = set(result.matched) | result.contested
    result.missing = [i for i in range(len(roster.rows)) if i not in taken]
    return result

"""An entry of a batch: one student's submission as the course site exported it. Torch-free."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_HASHED = re.compile(r"-[0-9a-f]{16}$")  # what a key made with a hash ends in, and no other key


@dataclass(frozen=True)
class Entry:
    """One student's submission: their id, its path (a folder, an archive, or the first of its
    `files` when the site exported loose files), and what the course site called it. `student`
    is the gradebook's key: the site's id where the site gives one, with the name for people."""

    student: str
    path: Path
    site_id: str = ""
    site: str = ""
    names: tuple[str, ...] = ()  # the entry's original name(s) in the batch
    files: tuple[tuple[Path, str], ...] = ()  # (path, name inside the submission)
    dropped: tuple[str, ...] = ()  # other entries of this student, not graded
    display: str = ""  # the name the site gives the student, for people
    late: str = ""  # the site's own late mark, said as the site says it
    precedence: tuple[tuple[str, int], ...] = ()  # item name -> rank: the higher, the later
    notes: tuple[str, ...] = ()  # what intake decided about this entry, and why
    attempt: str = ""  # the attempt graded (Blackboard: its time, YYYY-MM-DD-HH-MM-SS)

    @property
    def key(self) -> str:
        """A file name for this student that no other student's can equal, even on a file system
        that ignores case: the id made safe, plus a hash of the exact id when that changed it, or
        when the id already ends as a hashed key does (`bob_smith-<hash of "bob smith">` is a
        GitHub username a student can choose)."""
        safe = _SAFE.sub("_", self.student).strip("._") or "student"
        if safe != self.student or safe.lower() != safe or _HASHED.search(safe):
            exact = self.student.encode("utf-8", "surrogateescape")  # a name that is not UTF-8
            safe += "-" + hashlib.sha256(exact).hexdigest()[:16]
        return safe

    @property
    def items(self) -> list[tuple[Path, str]]:
        return list(self.files) or [(self.path, self.path.name)]

    @property
    def identity(self) -> dict:
        """What grades.json and the result on disk keep of who this is."""
        return {
            "names": list(self.names),
            "site": self.site,
            "site_id": self.site_id,
            "name": self.display or self.student,
            "late": self.late,
            "attempt": self.attempt,
        }


class IntakeError(ValueError):
    """The batch cannot be graded as it is (two entries of one student, a site's whole download
    left zipped); the message says why and what to do."""


@dataclass
class Survey:
    entries: list[Entry]
    ignored: list[str] = field(default_factory=list)  # names in the batch that are no submission
    site: str = ""  # the site the batch was exported from ("" : plain folders and archives)
    followed: int = 0  # entries that follow the site's naming
    notes: list[str] = field(default_factory=list)  # what the console should say about the batch

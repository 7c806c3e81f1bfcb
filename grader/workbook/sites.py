"""Which course site exported a batch, and who each entry is by that site's own naming rule.
Torch-free.

Each site's rule is anchored at the start of an entry's name, where the site writes; the rest of
the name is the student's own file name and is never searched for a pattern. The batch's site is
decided once, as the site most entries follow; an entry that does not follow it is read by the
one other site it follows (a batch put together from two exports), else as a plain name.

    Canvas      <name>[_late]_<user id>_<file id>_<the student's file name> (or _text.html)
    Moodle      <Full Name>_<participant id>_assignsubmission_<file|onlinetext>[_[<file name>]]
    Blackboard  <Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>[_<file name>|.txt]
    Gradescope  submission_<id>/ (the student from submission_metadata.yml)
    Classroom   <assignment>-<username>/ (the prefix common to the batch, or given)
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field

# Canvas writes its sortable name lower-cased with the non-word characters taken out: `\w`, the
# underscore kept (`jonesmary_ann`); then the user id, and the attachment id before a file's own
# name (an online-text entry has none: `<name>_<user id>_text.html`).
_CANVAS = re.compile(
    r"^(?P<early>late_)?(?P<name>\w+?)(?P<late>_late)?_(?P<id>\d+)_"
    r"(?:(?P<file>\d+)_(?P<rest>.+)|(?P<text>text\.html))$",
    re.I,
)
# Moodle's folder per participant and plugin, `_assignsubmission_file` (Moodle 4.1 on) or with a
# trailing `_` (3.1 to 4.0); its older flat download prefixes each file the same way.
_MOODLE = re.compile(
    r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)(?:_(?P<rest>.*))?$", re.S
)
_ATTEMPT = r"_attempt_(?P<time>\d{4}(?:-\d\d){5})(?:_(?P<rest>.+)|(?P<receipt>\.txt))?$"
_BLACKBOARD_ANY = re.compile(r"^(?P<head>.+?)" + _ATTEMPT, re.S)
_GRADESCOPE = re.compile(r"^submission_(?P<id>\d+)$")
SITE_TITLES = {
    "canvas": "Canvas",
    "moodle": "Moodle",
    "blackboard": "Blackboard",
    "gradescope": "Gradescope",
    "classroom": "GitHub Classroom",
}


@dataclass(frozen=True)
class Name:
    """An entry's name read by its site's rule. `student` is the display name for people; the
    site's id (`site_id`) says who it is. `inner` is the student's own file name when the site
    prefixed a file; `late`, `attempt` and `part` are what else the site wrote in the name."""

    student: str
    site_id: str = ""
    site: str = ""
    inner: str = ""
    late: bool = False
    attempt: str = ""  # Blackboard's attempt time, YYYY-MM-DD-HH-MM-SS
    part: str = ""  # Moodle's plugin: file or onlinetext
    receipt: bool = False  # Blackboard's .txt receipt of an attempt


@dataclass
class SiteRules:
    """What a batch's names are read with: its site, Blackboard's assignment name and the
    usernames its receipts give, Classroom's prefix, Gradescope's roster."""

    site: str = ""
    followed: int = 0  # entries that follow the site's rule
    assignment: str = ""  # Blackboard's assignment name, or Classroom's prefix
    usernames: dict[str, str] = field(default_factory=dict)  # Blackboard: head -> username
    display: dict[str, str] = field(default_factory=dict)  # Blackboard: username -> name
    roster: dict[str, str] = field(default_factory=dict)  # Gradescope: submission id -> student
    classroom: str = ""  # Classroom's prefix of folders beside another site's export


def _canvas(name: str, is_folder: bool) -> Name | None:
    match = _CANVAS.match(name)
    if not match:
        return None
    late = bool(match["early"] or match["late"])
    inner = "" if is_folder else (match["rest"] or match["text"])
    return Name(match["name"], match["id"], "canvas", inner, late)


def _moodle(name: str, is_folder: bool) -> Name | None:
    match = _MOODLE.match(name)
    if not match:
        return None
    display = match["name"].strip()
    if display.lower() == "participant":  # blind marking hides the name
        display = f"Participant {match['id']}"
    if not is_folder and not match["rest"]:
        return None  # a file is prefixed with its participant's name: it has a name of its own
    inner = "" if is_folder else match["rest"]
    return Name(display, match["id"], "moodle", inner, part=match["plugin"])


def _blackboard(name: str, is_folder: bool, rules: SiteRules) -> Name | None:
    match = _BLACKBOARD_ANY.match(name)
    if not match:
        return None
    head = match["head"]
    user = rules.usernames.get(head)
    if user is None:
        prefix = rules.assignment + "_"
        if rules.assignment and head.startswith(prefix) and len(head) > len(prefix):
            user = head[len(prefix) :]
        elif not rules.assignment and "_" in head:
            user = head.split("_", 1)[1]  # no assignment name known: it is taken to have no "_"
        else:
            return None
    inner = "" if is_folder else (match["rest"] or "")
    return Name(
        rules.display.get(user, user),
        user,
        "blackboard",
        inner,
        attempt=match["time"],
        receipt=bool(match["receipt"]),
    )


def _gradescope(name: str, is_folder: bool, rules: SiteRules) -> Name | None:
    match = _GRADESCOPE.match(name)
    if not (is_folder and match):
        return None
    return Name(rules.roster.get(match["id"]) or name, match["id"], "gradescope")


def _classroom(name: str, is_folder: bool, rules: SiteRules) -> Name | None:
    prefix = rules.assignment
    if not (is_folder and prefix and name.startswith(prefix) and len(name) > len(prefix)):
        return None
    user = name[len(prefix) :]
    return Name(user, user, "classroom")


def read_by(site: str, name: str, is_folder: bool, rules: SiteRules) -> Name | None:
    """`name` read by `site`'s rule, or None when it does not follow it."""
    if site == "canvas":
        return _canvas(name, is_folder)
    if site == "moodle":
        return _moodle(name, is_folder)
    if site == "blackboard":
        return _blackboard(name, is_folder, rules)
    if site == "gradescope":
        return _gradescope(name, is_folder, rules)
    if site == "classroom":
        return _classroom(name, is_folder, rules)
    return None


# The order ties are broken in: the most specific pattern first.
ORDER = ("gradescope", "moodle", "canvas", "blackboard", "classroom")


def decide(
    entries: list[tuple[str, bool]],
    receipts: dict[str, str] | None = None,
    roster: dict[str, str] | None = None,
    prefix: str = "",
    cloned: frozenset[str] = frozenset(),
) -> SiteRules:
    """The batch's site from its entries' (name, is_folder): the site most entries follow.
    `receipts` are Blackboard's receipt texts by file name; `prefix` names Classroom's or
    Blackboard's assignment prefix when the instructor gives it; `cloned` names the folders
    that are git clones (Classroom's)."""
    rules = SiteRules(roster=dict(roster or {}))
    _blackboard_rules(entries, receipts or {}, rules, prefix)
    rules.assignment = rules.assignment or prefix
    counts = Counter()
    for site in ORDER[:-1]:
        counts[site] = sum(1 for n, f in entries if read_by(site, n, f, rules) is not None)
    best = max(ORDER[:-1], key=lambda s: counts[s])  # max keeps the first of equals: ORDER
    if counts[best]:
        rules.site, rules.followed = best, counts[best]
        return rules
    folders = [n for n, f in entries if f]
    classroom_prefix = prefix or classroom_prefix_of(folders, cloned)
    if classroom_prefix:
        rules.assignment = classroom_prefix
        rules.site = "classroom"
        rules.followed = sum(1 for n in folders if _classroom(n, True, rules))
    return rules


CLASSROOM_LEAST = 3  # folders that share a prefix before it is taken for Classroom's, unless cloned


def classroom_prefix_of(folders: list[str], cloned: frozenset[str] = frozenset()) -> str:
    """Classroom's `<assignment>-` prefix: the one EVERY folder of the batch shares, when there
    are CLASSROOM_LEAST of them or two are git clones. Common to the batch, not to a group: the
    folders `ann-py`, `ann-tagged` and `bob-py` are three students, not an assignment `ann`."""
    prefix = common_prefix(folders, "-")
    enough = len(folders) >= CLASSROOM_LEAST or sum(n in cloned for n in folders) >= 2
    return prefix if prefix and enough else ""


def common_prefix(names: list[str], separator: str) -> str:
    """The longest prefix ending in `separator` that every name has with something after it; ""
    when there are fewer than two names (one name has no common part to find)."""
    if len(names) < 2:
        return ""
    shared = os.path.commonprefix(names)
    cut = shared.rfind(separator)
    if cut <= 0:
        return ""
    prefix = shared[: cut + 1]
    return prefix if all(len(n) > len(prefix) for n in names) else ""


def _blackboard_rules(
    entries: list[tuple[str, bool]], receipts: dict[str, str], rules: SiteRules, given: str
) -> None:
    """Blackboard's assignment name: given, else from the receipts ("Assignment: Lab 3", and
    "Name: Jane Doe (jdoe)" for the username), else the part common to every attempt's name.
    Usernames may hold "_", so the assignment name is never guessed from one name alone."""
    heads = {}
    for name, _ in entries:
        if match := _BLACKBOARD_ANY.match(name):
            heads[match["head"]] = name
    if not heads:
        return
    named: Counter[str] = Counter()
    for file_name, text in receipts.items():
        match = _BLACKBOARD_ANY.match(file_name)
        if not match:
            continue
        fields = receipt_fields(text)
        user = re.search(r"\(([^()]+)\)\s*$", fields.get("name", ""))
        head = match["head"]
        if user and head.endswith("_" + user[1]):
            rules.usernames[head] = user[1]
            rules.display[user[1]] = fields["name"][: user.start()].strip() or user[1]
            named[head[: -len(user[1]) - 1]] += 1
        elif fields.get("assignment") and head.startswith(fields["assignment"] + "_"):
            named[fields["assignment"]] += 1
    if given:
        rules.assignment = given.rstrip("_")
    elif named:
        rules.assignment = named.most_common(1)[0][0]
    else:
        rules.assignment = common_prefix(sorted(heads), "_").rstrip("_")


MAX_RECEIPT_BYTES = 64 * 1024


def receipt_fields(text: str) -> dict[str, str]:
    """Blackboard's receipt: `Name:`, `Assignment:`, `Date Submitted:` on their lines, and the
    blocks under `Submission Field:` and `Comments:` (empty when Blackboard says there are none)."""
    fields: dict[str, str] = {}
    block = ""
    lines: list[str] = []
    blocks = {"submission field": "submission", "comments": "comments", "files": "files"}
    for line in text[:MAX_RECEIPT_BYTES].splitlines():
        key, colon, value = line.partition(":")
        lowered = key.strip().lower()
        if colon and lowered in blocks and not value.strip():
            if block:
                fields[block] = "\n".join(lines).strip()
            block, lines = blocks[lowered], []
        elif colon and not block and lowered in ("name", "assignment", "date submitted"):
            fields[lowered] = value.strip()
        elif block:
            lines.append(line)
    if block:
        fields[block] = "\n".join(lines).strip()
    for key in ("submission", "comments"):
        if re.match(r"^there (is|are) no ", fields.get(key, ""), re.I):
            fields[key] = ""
    return fields

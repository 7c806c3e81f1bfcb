"""The entries of a batch folder, one per student: the batch's site decided once (see sites), each
entry read by that site's rule, and an entry's parts put together (Canvas's loose files, Moodle's
file and online-text folders, Blackboard's attempts and receipts). Torch-free."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from grader.workbook.entries import Entry, IntakeError, Survey
from grader.workbook.gather import is_archive
from grader.workbook.identity import gradescope_roster, strip_archive_suffix
from grader.workbook.sites import (
    MAX_RECEIPT_BYTES,
    SITE_TITLES,
    Name,
    SiteRules,
    classroom_prefix_of,
    decide,
    read_by,
    receipt_fields,
)

DUPLICATE_POLICIES = ("error", "newest", "oldest")
UNSUPPORTED_ARCHIVES = (".rar", ".7z", ".bz2", ".xz", ".gz", ".tbz", ".txz")
WHOLE_DOWNLOAD_MEMBERS = 100_000  # a zip's names read to tell a site's whole download


def survey(
    batch: Path, duplicates: str = "error", skip: tuple[Path, ...] = (), prefix: str = ""
) -> Survey:
    """The submissions in `batch`, one per student, sorted by id. Two entries that map to one
    student by name only are an IntakeError naming both, unless `duplicates` is "newest" or
    "oldest"; a site's whole download left zipped is an IntakeError saying what to do."""
    if not batch.is_dir():
        raise FileNotFoundError(f"batch folder {batch} does not exist")
    result = Survey([])
    children = []
    for child in sorted(batch.iterdir(), key=lambda c: c.name):
        if (
            child.name.startswith((".", "__"))
            or child.name == "submission_metadata.yml"
            or any(child == s for s in skip)
        ):
            continue
        if child.is_symlink() or not (child.is_dir() or child.is_file()):
            result.ignored.append(f"{child.name} (a link or special file)")
            continue
        children.append(child)
    receipts = {c.name: _read_receipt(c) for c in children if c.name.lower().endswith(".txt")}
    listing = [(c.name, c.is_dir()) for c in children]
    receipts = {k: v for k, v in receipts.items() if v}
    cloned = frozenset(c.name for c in children if c.is_dir() and (c / ".git").exists())
    rules = decide(listing, receipts, gradescope_roster(batch), prefix, cloned)
    if rules.site not in ("", "classroom"):  # Classroom's folders beside another site's export
        leftover = [n for n, f in listing if f and not read_by(rules.site, n, f, rules)]
        rules.classroom = prefix or classroom_prefix_of(leftover, cloned)
    result.site, result.followed = rules.site, rules.followed
    groups: dict[tuple[str, str], list[tuple[Path, Name]]] = {}
    plain: dict[str, list[Entry]] = {}
    for child in children:
        name = _read(child, rules, result)
        if name.site:
            groups.setdefault((name.site, name.site_id), []).append((child, name))
        elif child.is_dir() or is_archive(child.name) or _unsupported(child.name):
            if child.is_file() and is_archive(child.name):
                _refuse_whole_download(child, batch)
            elif child.is_dir():
                _refuse_nested_download(child)
            plain.setdefault(name.student, []).append(
                Entry(name.student, child, names=(child.name,), display=name.student)
            )
        else:
            result.ignored.append(child.name)
    for (site, _), members in groups.items():
        entry = _site_entry(site, members, receipts)
        plain.setdefault(entry.student, []).append(entry)
    for student, entries in plain.items():
        result.entries.append(_one_of(student, entries, duplicates))
    result.entries.sort(key=lambda e: e.student)
    return result


def _unsupported(name: str) -> bool:
    return name.lower().endswith(UNSUPPORTED_ARCHIVES)


def _read_receipt(path: Path) -> str:
    try:
        with path.open("rb") as file:
            return file.read(MAX_RECEIPT_BYTES).decode("utf-8", "replace")
    except OSError:
        return ""


def _read(child: Path, rules: SiteRules, result: Survey) -> Name:
    """The batch's site's reading of `child`; else the one other site's, said on the console;
    else its plain name."""
    is_folder = child.is_dir()
    if rules.site and (name := read_by(rules.site, child.name, is_folder, rules)):
        return name
    # the most specific rule first: Blackboard's, whose assignment name is free text, last
    others = [
        n
        for site in ("gradescope", "moodle", "canvas", "blackboard")
        if site != rules.site and (n := read_by(site, child.name, is_folder, rules))
    ]
    if not others and rules.classroom and is_folder:
        classroom = SiteRules(site="classroom", assignment=rules.classroom)
        others = [n for n in [read_by("classroom", child.name, True, classroom)] if n]
    if others and rules.site != "classroom":
        result.notes.append(
            f"{child.name}: read by {SITE_TITLES[others[0].site]}'s naming, not the batch's "
            f"({SITE_TITLES.get(rules.site, 'plain names')})"
        )
        return others[0]
    stem = child.name if is_folder else strip_archive_suffix(child.name)
    if not is_folder and _unsupported(stem):
        stem = stem.rsplit(".", 1)[0]
    return Name(stem)


def _label(site: str, display: str, site_id: str) -> str:
    """The gradebook's key: the site's id, with the name for people when the id is a number."""
    if site in ("canvas", "moodle"):
        return f"{display} ({site_id})"
    return display if site == "gradescope" else site_id


def _site_entry(site: str, members: list[tuple[Path, Name]], receipts: dict[str, str]) -> Entry:
    """One student's parts in a site's export put together as one submission."""
    first = next((n for _, n in members if not n.receipt), members[0][1])
    display, site_id = first.student, first.site_id
    names = tuple(c.name for c, _ in members)
    notes: list[str] = []
    precedence: list[tuple[str, int]] = []
    attempts = sorted({n.attempt for _, n in members if n.attempt})
    parts = [(c, n) for c, n in members if not n.receipt]
    items: list[tuple[Path, str]] = []
    for child, name in parts:
        inner = name.inner or child.name
        if site == "blackboard" and len(attempts) > 1:
            inner = f"attempt {name.attempt}/{inner}"
        elif site == "moodle" and child.is_dir():
            inner = name.part
        items.append((child, inner))
    if len(attempts) > 1:
        precedence = [(f"attempt {t}", rank) for rank, t in enumerate(attempts)]
        notes.append(
            f"{len(attempts)} attempts ({', '.join(attempts)}): graded the latest, "
            f"{attempts[-1]}, by the time in Blackboard's file names; an exercise it lacks is "
            "graded from the latest attempt that has it"
        )
    for child, name in members:
        if name.receipt:
            fields = receipt_fields(receipts.get(child.name, ""))
            for key, what in (("comments", "comment"), ("submission", "text")):
                if fields.get(key):
                    notes.append(
                        f"Blackboard receipt {what} (attempt {name.attempt}): {fields[key]}"
                    )
    late = "LATE (Canvas)" if any(n.late for _, n in members) else ""
    single_folder = len(items) == 1 and items[0][0].is_dir()
    path = items[0][0] if items else members[0][0]
    files = () if single_folder else tuple(sorted(items, key=lambda i: i[1]))
    if not items:
        files = ((members[0][0], members[0][0].name),)  # a receipt alone: nothing else was sent
    return Entry(
        _label(site, display, site_id),
        path,
        site_id,
        site,
        names,
        files,
        display=display,
        late=late,
        precedence=tuple(precedence),
        notes=tuple(notes),
        attempt=attempts[-1] if attempts else "",
    )


def _students_named(names: list[tuple[str, bool]]) -> tuple[str, int]:
    """The site whose naming gives two or more students among `names`, and how many."""
    rules = SiteRules()
    ids: dict[str, set[str]] = {}
    for name, is_folder in names:
        for site in ("canvas", "moodle", "blackboard"):
            if found := read_by(site, name, is_folder, rules):
                ids.setdefault(site, set()).add(found.site_id)
    return max(((s, len(i)) for s, i in ids.items()), key=lambda p: p[1], default=("", 0))


def _refuse_nested_download(folder: Path) -> None:
    """A folder of the batch that holds a site's whole download, unzipped one level down."""
    try:
        names = [(c.name, c.is_dir()) for c in list(os.scandir(folder))[:WHOLE_DOWNLOAD_MEMBERS]]
    except OSError:
        return
    site, count = _students_named(names)
    if count >= 2:
        raise IntakeError(
            f"{folder.name}/ holds {SITE_TITLES[site]}'s whole download ({count} students), not "
            f"one student's submission: grade that folder as the batch (grader grade "
            f"'{folder}' ...), or move its entries up into the batch folder"
        )


def _refuse_whole_download(archive: Path, batch: Path) -> None:
    """A zip whose top entries follow a site's naming for two or more students is the
    site's whole download: graded as one student it would lose all the others."""
    if not archive.name.lower().endswith(".zip"):
        return
    try:
        with zipfile.ZipFile(archive) as zipped:
            names = zipped.namelist()[:WHOLE_DOWNLOAD_MEMBERS]
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return  # not readable: the entry's own note will say so
    tops = []
    for member in names:
        top = member.replace("\\", "/").lstrip("/").split("/", 1)
        tops.append((top[0], len(top) > 1))
    site, count = _students_named(tops)
    beside = {t for t, _ in tops if t not in ("", ".", "..") and (archive.parent / t).exists()}
    if count >= 2 and len(beside) * 2 >= len({t for t, _ in tops}):
        raise IntakeError(
            f"{archive.name} is {SITE_TITLES[site]}'s whole download ({count} students), and "
            f"its files are already unzipped beside it in {batch}: move '{archive.name}' out of "
            "the batch folder and grade again"
        )
    if count >= 2:
        raise IntakeError(
            f"{archive.name} is {SITE_TITLES[site]}'s whole download ({count} "
            f"students), not one student's submission: unzip it into the batch folder "
            f"(unzip '{archive.name}' -d '{batch}'), move the zip out of the batch, and "
            "grade again"
        )


def discover(batch: Path) -> list[Entry]:
    """The submissions in `batch`, sorted by student id (duplicates are an IntakeError)."""
    return survey(batch).entries


def _one_of(student: str, entries: list[Entry], policy: str) -> Entry:
    if len(entries) == 1:
        return entries[0]
    names = [n for e in entries for n in e.names]
    if policy not in ("newest", "oldest"):
        raise IntakeError(
            f"two entries map to student {student!r}: {' and '.join(names)}; keep "
            "one, or pass --duplicates newest (or oldest)"
        )
    ordered = sorted(entries, key=lambda e: (_mtime(e), e.names))
    kept = ordered[-1] if policy == "newest" else ordered[0]
    others = tuple(n for e in entries if e is not kept for n in e.names)
    from dataclasses import replace

    return replace(kept, dropped=others)


def _mtime(entry: Entry) -> float:
    times = []
    for path, _ in entry.items:
        times.append(path.lstat().st_mtime)
        if path.is_dir() and not path.is_symlink():
            times += [p.lstat().st_mtime for p in path.rglob("*") if not p.is_symlink()]
    return max(times)

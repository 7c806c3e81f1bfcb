"""The report's "Integrity signals" section, from OUT/review.json (written by the review pass):
flags and near-duplicate pairs, shown for an instructor to look at, never as a penalty. The
file's text comes from student code and names, so every field is checked and escaped."""

from __future__ import annotations

import re
from urllib.parse import quote

from grader.reports.escape import html as escape

TITLE = "Integrity signals (for review, not a penalty)"
# A pair's page must be a file the review pass wrote under OUT/similarity/, nothing else.
_PAGE = re.compile(r"^similarity/[^/\\]+\.html$")


def _text(value: object) -> str:
    return escape(value if isinstance(value, str) else "" if value is None else str(value))


def _student(name: object, pages: dict[str, str]) -> str:
    href = pages.get(name) if isinstance(name, str) else None
    return f'<a href="{escape(href)}">{_text(name)}</a>' if href else _text(name)


SHOWN = 30  # rows of a table shown at once; the rest open on demand


def _table(head: str, rows: list[str], table_id: str) -> str:
    """A table of `rows`, its first `SHOWN` visible and the others folded below it."""
    first = f'<table id="{table_id}"><thead>{head}</thead><tbody>{"".join(rows[:SHOWN])}</tbody>'
    if len(rows) <= SHOWN:
        return first + "</table>"
    return (
        f"{first}</table><details><summary>the other {len(rows) - SHOWN}</summary>"
        f"<table><thead>{head}</thead><tbody>{''.join(rows[SHOWN:])}</tbody></table></details>"
    )


def _flags(flags: list, pages: dict[str, str]) -> str:
    rows = []
    for flag in (f for f in flags if isinstance(f, dict)):
        line = flag.get("line")
        where = _text(flag.get("file")) + (
            f", line {line}" if type(line) is int and not isinstance(line, bool) else ""
        )
        rows.append(
            f"<tr><td>{_student(flag.get('student'), pages)}</td><td>{_text(flag.get('kind'))}"
            f"</td><td><pre>{_text(flag.get('what'))}</pre></td><td>{where}</td></tr>"
        )
    if not rows:
        return '<h3 id="flags">Flags</h3><p>No flags.</p>'
    head = "<tr><th>student</th><th>kind</th><th>what was seen</th><th>where</th></tr>"
    return f'<h3 id="flags">Flags ({len(rows)})</h3>' + _table(head, rows, "flag-table")


def _number(value: object) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if ok else None


def _files(pair: dict, threshold: float | None) -> str:
    """The exercise files that made the pair, most alike first (those under the threshold left
    out when a threshold is known). When review.json names the files outside any group of
    look-alikes, those come first, in bold: they are what sets the pair apart."""
    files = pair.get("files") if isinstance(pair.get("files"), dict) else {}
    scored = [(n, _number(v)) for n, v in files.items() if isinstance(n, str)]
    scored = [(n, v) for n, v in scored if v is not None and (threshold is None or v >= threshold)]
    scored.sort(key=lambda item: (-item[1], item[0]))
    standout = pair.get("standout")
    if not isinstance(standout, list) or pair.get("crowd") is True:
        standout = None
    tag = "span" if standout is None else "strong"
    lines = [
        f'<{tag}>{escape(n)}</{tag}> <span class="muted">{v:.2f}</span>'
        for n, v in scored
        if standout is None or n in standout
    ]
    if standout is None:
        return "<br>".join(lines)
    others = len(scored) - len(lines)
    more = f'<span class="muted small">and {others} more alike, in groups</span>' if others else ""
    return "<br>".join([*lines, more] if more else lines)


def _pair_row(pair: dict, pages: dict[str, str], threshold: float | None) -> str:
    page = pair.get("page")
    view = (
        f'<a href="{escape(quote(page))}">side by side</a>'
        if isinstance(page, str) and _PAGE.match(page) and ".." not in page
        else ""
    )
    return (
        f'<tr><td class="n">{_score(pair):.2f}</td><td>{_student(pair.get("a"), pages)}</td>'
        f"<td>{_student(pair.get('b'), pages)}</td><td>{_files(pair, threshold)}</td>"
        f"<td>{view}</td></tr>"
    )


def _groups(similarity: dict, pages: dict[str, str]) -> str:
    """Crowds of look-alike files of one exercise: one line each instead of its many pairs."""
    rows = []
    for group in (g for g in similarity.get("groups") or [] if isinstance(g, dict)):
        students = [s for s in group.get("students") or [] if isinstance(s, str)]
        low, high, pairs = (_number(group.get(k)) for k in ("low", "high", "pairs"))
        scores = f"{low:.2f}&ndash;{high:.2f}" if low is not None and high is not None else ""
        who = ", ".join(_student(s, pages) for s in students)
        rows.append(
            f'<tr><td>{_text(group.get("file"))}</td><td class="n">{len(students)}</td>'
            f'<td class="n">{int(pairs or 0)}</td><td class="n">{scores}</td>'
            f"<td><details><summary>who</summary>{who}</details></td></tr>"
        )
    if not rows:
        return ""
    return (
        f'<h3 id="groups">Groups of look-alike files ({len(rows)})</h3><p class="small muted">'
        "Many students whose files of one exercise are alike: usually a common answer to a short "
        "exercise, sometimes a shared source. Their pairs are listed after the others.</p>"
        '<table id="group-table"><thead><tr><th>exercise file</th><th class="n">students</th>'
        '<th class="n">pairs</th><th class="n">scores</th><th>who</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _pairs(similarity: dict, pages: dict[str, str]) -> str:
    threshold = _number(similarity.get("threshold"))
    shown = f" (threshold {threshold:g})" if threshold is not None else ""
    pairs = [p for p in similarity.get("pairs") or [] if isinstance(p, dict)]
    pairs.sort(key=lambda p: (p.get("crowd") is True, -_score(p)))
    alone = [_pair_row(p, pages, threshold) for p in pairs if p.get("crowd") is not True]
    crowded = [_pair_row(p, pages, threshold) for p in pairs if p.get("crowd") is True]
    if not pairs:
        return (
            f'<h3 id="pairs">Similar pairs</h3><p>No pair of submissions is above the similarity '
            f"threshold{shown}.</p>"
        )
    more = _number(similarity.get("pairs_over_threshold"))
    cut = (
        f'<p class="small muted">{int(more)} pairs reached the threshold; the first '
        f"{len(pairs)} are listed.</p>"
        if more is not None and more > len(pairs)
        else ""
    )
    head = (
        '<tr><th class="n">similarity</th><th>student</th><th>student</th>'
        "<th>exercise files alike (score)</th><th>matching regions</th></tr>"
    )
    listed = (
        _table(head, alone, "pair-table")
        if alone
        else "<p>None outside the groups of look-alike files below.</p>"
    )
    inside = (
        f"<details><summary>pairs inside the groups ({len(crowded)})</summary>"
        f'<table id="crowd-pairs"><thead>{head}</thead><tbody>{"".join(crowded)}</tbody></table>'
        "</details>"
        if crowded
        else ""
    )
    return (
        f'<h3 id="pairs">Similar pairs ({len(alone)}){shown}</h3>'
        '<p class="small muted">A pair\'s similarity is that of its most alike exercise file; '
        "the side-by-side view highlights the matching regions.</p>"
        f"{listed}{cut}{_groups(similarity, pages)}{inside}"
    )


def _score(pair: dict) -> float:
    """The pair's similarity: outside a crowd, that of the files that set it apart (its other
    files may be the crowd's common answer, alike in every pair)."""
    files = pair.get("files") if isinstance(pair.get("files"), dict) else {}
    standout = pair.get("standout") if isinstance(pair.get("standout"), list) else []
    apart = [_number(files.get(n)) for n in standout if isinstance(n, str) and n in files]
    apart = [v for v in apart if v is not None]
    if apart and pair.get("crowd") is not True:
        return max(apart)
    return _number(pair.get("score")) or 0.0


def integrity_summary(review: dict | None) -> str:
    """What the section holds, for the report's contents."""
    if not isinstance(review, dict) or "unreadable" in review:
        return "not computed" if not isinstance(review, dict) else "review.json unreadable"
    flags = review.get("flags") if isinstance(review.get("flags"), list) else []
    similarity = review.get("similarity") if isinstance(review.get("similarity"), dict) else {}
    pairs = similarity.get("pairs") if isinstance(similarity.get("pairs"), list) else []
    alone = sum(isinstance(p, dict) and p.get("crowd") is not True for p in pairs)
    groups = similarity.get("groups") if isinstance(similarity.get("groups"), list) else []
    crowds = f" (and {_plural(len(groups), 'group')} of look-alikes)" if groups else ""
    return f"{_plural(alone, 'pair')}{crowds}, {_plural(len(flags), 'flag')}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def integrity_section(review: dict | None, pages: dict[str, str], head: str = "") -> str:
    """The section; `review` is review.json's content (None when no review was computed),
    `pages` each student's feedback page for links, `head` the section's heading."""
    head = head or f'<h2 id="integrity">{escape(TITLE)}</h2>'
    if not isinstance(review, dict):
        return f'{head}<p class="muted">None were computed for this report (no review.json).</p>'
    if "unreadable" in review:
        return (
            f'{head}<p class="bad">review.json could not be read: {_text(review["unreadable"])}</p>'
        )
    flags = review.get("flags") if isinstance(review.get("flags"), list) else []
    similarity = review.get("similarity") if isinstance(review.get("similarity"), dict) else {}
    note = (
        '<p class="muted small">What the review pass saw in the code and in how it ran, for a '
        "person to look at; no score was changed.</p>"
    )
    return head + note + _pairs(similarity, pages) + _flags(flags, pages)

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
    """The exercise files that made the pair, most alike first (those under the threshold
    left out when a threshold is known)."""
    files = pair.get("files") if isinstance(pair.get("files"), dict) else {}
    scored = [(n, _number(v)) for n, v in files.items() if isinstance(n, str)]
    scored = [(n, v) for n, v in scored if v is not None and (threshold is None or v >= threshold)]
    return "<br>".join(
        f'{escape(name)} <span class="muted">{value:.2f}</span>'
        for name, value in sorted(scored, key=lambda item: (-item[1], item[0]))
    )


def _pairs(similarity: dict, pages: dict[str, str]) -> str:
    threshold = _number(similarity.get("threshold"))
    shown = f" (threshold {threshold:g})" if threshold is not None else ""
    rows = []
    pairs = [p for p in similarity.get("pairs") or [] if isinstance(p, dict)]
    for pair in sorted(pairs, key=lambda p: -_score(p)):
        page = pair.get("page")
        view = (
            f'<a href="{escape(quote(page))}">side by side</a>'
            if isinstance(page, str) and _PAGE.match(page) and ".." not in page
            else ""
        )
        rows.append(
            f'<tr><td class="n">{_score(pair):.2f}</td><td>{_student(pair.get("a"), pages)}</td>'
            f"<td>{_student(pair.get('b'), pages)}</td><td>{_files(pair, threshold)}</td>"
            f"<td>{view}</td></tr>"
        )
    if not rows:
        return (
            f'<h3 id="pairs">Similar pairs</h3><p>No pair of submissions is above the similarity '
            f"threshold{shown}.</p>"
        )
    more = _number(similarity.get("pairs_over_threshold"))
    cut = (
        f'<p class="bad">{int(more)} pairs reached the threshold; the {len(rows)} most alike are '
        "listed. So many pairs usually mean a shared source (a posted solution, the starter "
        "code grown alike): raise the threshold to see the closest.</p>"
        if more is not None and more > len(rows)
        else ""
    )
    head = (
        '<tr><th class="n">similarity</th><th>student</th><th>student</th>'
        "<th>exercise files alike (score)</th><th>matching regions</th></tr>"
    )
    return (
        f'<h3 id="pairs">Similar pairs ({len(rows)}){shown}</h3>{cut}'
        '<p class="small muted">A pair\'s similarity is that of its most alike exercise file; '
        "the side-by-side view highlights the matching regions.</p>"
        + _table(head, rows, "pair-table")
    )


def _score(pair: dict) -> float:
    return _number(pair.get("score")) or 0.0


def integrity_summary(review: dict | None) -> str:
    """What the section holds, for the report's contents."""
    if not isinstance(review, dict) or "unreadable" in review:
        return "not computed" if not isinstance(review, dict) else "review.json unreadable"
    flags = review.get("flags") if isinstance(review.get("flags"), list) else []
    similarity = review.get("similarity") if isinstance(review.get("similarity"), dict) else {}
    pairs = similarity.get("pairs") if isinstance(similarity.get("pairs"), list) else []
    return f"{len(pairs)} pairs, {len(flags)} flags"


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

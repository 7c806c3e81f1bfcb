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
        return "<p>No flags.</p>"
    return (
        f"<h3>Flags ({len(rows)})</h3><table><thead><tr><th>student</th><th>kind</th>"
        f"<th>what was seen</th><th>where</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _pairs(similarity: dict, pages: dict[str, str]) -> str:
    threshold = similarity.get("threshold")
    shown = f" (threshold {threshold:g})" if isinstance(threshold, (int, float)) else ""
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
            f"<tr><td>{_student(pair.get('a'), pages)}</td><td>{_student(pair.get('b'), pages)}"
            f'</td><td class="n">{_score(pair):.2f}</td><td>{view}</td></tr>'
        )
    if not rows:
        return f"<p>No pair of submissions is above the similarity threshold{shown}.</p>"
    return (
        f"<h3>Similar pairs ({len(rows)}){shown}</h3><table><thead><tr><th>student</th>"
        '<th>student</th><th class="n">similarity</th><th>matching regions</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _score(pair: dict) -> float:
    score = pair.get("score")
    return float(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else 0.0


def integrity_section(review: dict | None, pages: dict[str, str]) -> str:
    """The section; `review` is review.json's content (None when no review was computed),
    `pages` each student's feedback page for links."""
    head = f'<h2 id="integrity">{escape(TITLE)}</h2>'
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
    return head + note + _flags(flags, pages) + _pairs(similarity, pages)

"""A similar pair's page: each matching exercise file side by side, the regions both share
highlighted. One self-contained HTML file (no script, no network); every piece of student text,
ids and code alike, goes through `escape.html`."""

from __future__ import annotations

import hashlib

from grader.reports.escape import html as escape
from grader.review.similarity import FileMatch, Pair

_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.side h3{font-size:.95rem;margin:.3rem 0;overflow-wrap:anywhere}
pre{background:#fafafa;border:1px solid #ddd;padding:.5rem;font-size:.8rem;overflow-x:auto;
white-space:pre;margin:0}
mark{background:#ffd27a}
"""


def page_name(key_a: str, key_b: str) -> str:
    """`similarity/<a>__<b>.html` from two feedback keys (already safe for file names); when a
    key holds `__` itself, a hash of both keeps two pairs from sharing a name."""
    name = f"{key_a}__{key_b}"
    if "__" in key_a or "__" in key_b:
        name += "-" + hashlib.sha256(f"{key_a}\0{key_b}".encode()).hexdigest()[:8]
    return f"similarity/{name}.html"


def highlighted(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` escaped, each span in a <mark>; spans are clipped to the text and to each other."""
    parts, at = [], 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        parts += [escape(text[at:start]), "<mark>", escape(text[start:end]), "</mark>"]
        at = end
    parts.append(escape(text[at:]))
    return "".join(parts)


def _file_section(match: FileMatch, a: str, b: str) -> str:
    sides = "".join(
        f'<div class="side"><h3>{escape(who)}</h3><pre>{highlighted(text, spans)}</pre></div>'
        for who, text, spans in zip((a, b), match.texts, match.spans)
    )
    return (
        f'<h2>{escape(match.filename)}: {match.score:.0%} alike</h2><div class="pair">{sides}</div>'
    )


def similarity_page(pair: Pair, threshold: float) -> str:
    """The page of one pair above `threshold`."""
    a, b = escape(pair.a), escape(pair.b)
    files = "".join(_file_section(m, pair.a, pair.b) for m in pair.files)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Similarity: {a} and {b}</title><style>{_STYLE}</style></head><body>"
        f"<h1>Similarity: {a} and {b}</h1>"
        f"<p>Score {pair.score:.0%} (threshold {threshold:.0%}): the share of both files' code "
        "that the highlighted regions cover, starter code left out. Variable names and "
        "strings are ignored in the comparison, so renamed copies match. A signal to review, "
        "not a verdict.</p>"
        f"{files}</body></html>\n"
    )
